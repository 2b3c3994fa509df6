package dev.tandem.transcoding.openapi;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.List;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Makes every REST Assured call of every test also a check of the OpenAPI document: accepted
 * request bodies and all response bodies must validate against the schemas the server publishes
 * (see {@link OpenApiContract}). Registered before every {@code @QuarkusTest} method as a Quarkus
 * test callback ({@code META-INF/services/io.quarkus.test.junit.callback.
 * QuarkusTestBeforeEachCallback}), which runs in the test's class loader and so reaches the REST
 * Assured the test uses (a plain JUnit extension would configure another copy of it).
 */
public final class OpenApiContractFilter implements Filter, QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof OpenApiContractFilter)) {
            RestAssured.filters(new OpenApiContractFilter());
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        Object body = request.getBody();
        List<String> problems = OpenApiContract.of(URI.create(uri.getScheme() + "://" + uri.getRawAuthority()))
                .check(request.getMethod(), uri.getRawPath(), body == null ? null : body.toString(),
                        response.statusCode(), response.contentType(), response.asString());
        if (!problems.isEmpty()) {
            throw new AssertionError("the exchange does not match the OpenAPI document: " + String.join("; ", problems));
        }
        return response;
    }
}
