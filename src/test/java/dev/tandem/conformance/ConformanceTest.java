package dev.tandem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.transcoding.openapi.OpenApiContract;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The transcoding conformance suite: every case of {@code src/test/resources/conformance/*.json}
 * over real HTTP against the running server and its test-only echo service; each exchange is also
 * checked against the server's OpenAPI document ({@link OpenApiContract}).
 */
@QuarkusTest
class ConformanceTest {

    /** The number of cases in {@code src/test/resources/conformance/*.json} (also in the docs' count markers). */
    static final int CASES = 205;

    /** The number of data files. */
    static final int FILES = 14;

    @TestHTTPResource("/")
    URL server;

    @TestFactory
    Stream<DynamicTest> conformance() {
        URI base = URI.create(server.toString().replaceAll("/$", ""));
        ConformanceRunner runner = new ConformanceRunner(base);
        return ConformanceCase.all().stream().map(c -> DynamicTest.dynamicTest(c.file() + ": " + c.name(), () -> {
            ConformanceRunner.Result r = runner.run(c);
            assertTrue(r.passed(), () -> String.join("; ", r.problems()) + " (HTTP " + r.status() + " " + r.body() + ")");
            // and the exchange matches the OpenAPI document the server publishes
            var request = c.json().get("request");
            var body = request.get("body");
            List<String> contract = OpenApiContract.of(base).check(request.get("method").asText(),
                    request.get("path").asText().split("\\?", 2)[0],
                    body == null || body.isNull() ? null : body.isTextual() ? body.asText() : body.toString(),
                    r.status(), r.contentType(), r.body());
            assertTrue(contract.isEmpty(), () -> "not as the OpenAPI document says: " + String.join("; ", contract));
        }));
    }

    @Test
    void caseNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        List<ConformanceCase> all = ConformanceCase.all();
        for (ConformanceCase c : all) {
            assertTrue(seen.add(c.name()), "duplicate case name: " + c.name());
        }
        assertEquals(CASES, all.size(), "the data files' cases");
        assertEquals(FILES, all.stream().map(ConformanceCase::file).distinct().count(), "data files with cases");
    }
}
