package dev.tandem.protocol.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.TestChannels;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.observability.RequestIdInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST facade over real HTTP against the running server, on the Greeter routes: routing,
 * bodies, errors as google.rpc.Status JSON, and the shared interceptor chain. Also run against the
 * packaged application by {@link GreeterTranscodingIT}.
 */
@QuarkusTest
class GreeterTranscodingTest {

    GreeterGrpc.GreeterBlockingStub greeter;

    @BeforeEach
    void stub() {
        greeter = GreeterGrpc.newBlockingStub(TestChannels.app());
    }

    @Test
    void getWithPathVariable() {
        given().get("/v1/greeter/World").then()
                .statusCode(200)
                .contentType("application/json")
                .body("message", equalTo("Hello World"));
    }

    @Test
    void pathVariableIsPercentDecoded() {
        given().urlEncodingEnabled(false).get("/v1/greeter/J%C3%BCrgen%20M%2FN").then()
                .statusCode(200)
                .body("message", equalTo("Hello Jürgen M/N"));
    }

    @Test
    void postWithBodyStarOnAnAdditionalBindingWithAVerb() {
        given().contentType("application/json").body("{\"name\":\"Ada\"}")
                .post("/v1/greeter:sayHello").then()
                .statusCode(200)
                .body("message", equalTo("Hello Ada"));
    }

    @Test
    void malformedJsonIs400WithTheFaultPosition() {
        given().contentType("application/json").body("{\"name\":")
                .post("/v1/greeter:sayHello").then()
                .statusCode(400)
                .body("code", equalTo(3))
                .body("message", containsString("line 1, column 9"));
    }

    @Test
    void unknownJsonFieldIs400() {
        given().contentType("application/json").body("{\"nam\":\"x\"}")
                .post("/v1/greeter:sayHello").then()
                .statusCode(400)
                .body("code", equalTo(3))
                .body("message", containsString("nam"));
    }

    @Test
    void unknownQueryParameterIs400WithBadRequestDetail() {
        given().get("/v1/greeter/x?nmae=y").then()
                .statusCode(400)
                .body("code", equalTo(3))
                .body("details[0].'@type'", equalTo("type.googleapis.com/google.rpc.BadRequest"))
                .body("details[0].fieldViolations[0].field", equalTo("nmae"));
    }

    @Test
    void otherMethodsRouteIs405WithAllow() {
        given().delete("/v1/greeter/x").then()
                .statusCode(405)
                .header("Allow", "GET")
                .body("code", equalTo(12));
    }

    @Test
    void unroutedPathIs404Status() {
        given().get("/v1/nothing/here").then()
                .statusCode(404)
                .contentType("application/json")
                .body("code", equalTo(5));
    }

    @Test
    void wrongContentTypeIs415() {
        given().contentType("text/plain").body("name=x").post("/v1/greeter:sayHello").then()
                .statusCode(415)
                .body("code", equalTo(3));
    }

    @Test
    void bodyOnGetIs400() {
        given().contentType("application/json").body("{}").get("/v1/greeter/x").then()
                .statusCode(400)
                .body("message", containsString("takes no request body"));
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"name\":\"" + "a".repeat(1_100_000) + "\"}";
        given().contentType("application/json").body(big).post("/v1/greeter:sayHello").then()
                .statusCode(413);
    }

    @Test
    void healthIsNotShadowedByTheFacade() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void restCallsRunTheSameInterceptorsAsGrpcCalls() {
        given().header("X-Request-Id", "rest-abc.123").get("/v1/greeter/x").then()
                .statusCode(200)
                .header("Grpc-Metadata-x-request-id", "rest-abc.123");
        given().get("/v1/greeter/x").then()
                .statusCode(200)
                .header("Grpc-Metadata-x-request-id", matchesPattern("[0-9a-f-]{36}"));

        Metadata sent = new Metadata();
        sent.put(RequestIdInterceptor.KEY, "grpc-abc.123");
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        greeter.withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .sayHello(HelloRequest.newBuilder().setName("x").build());
        assertEquals("grpc-abc.123", headers.get().get(RequestIdInterceptor.KEY));
    }
}
