package dev.tandem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes Tandem's conformance results file for {@link ConformanceReport}: every case run over real
 * HTTP against this test server, as {@code <conformance.report.dir>/tandem.json}, and checks the
 * file it wrote: it reads back as JSON, names this server, holds every case of the data files in
 * their order with its request and expected status, and every case passed with no problem (as
 * {@link ConformanceTest} requires). Runs only when the system property {@code
 * conformance.report.dir} is set ({@code conformance/run-grpc-gateway.sh} sets it).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "conformance.report.dir", matches = ".+")
class ConformanceResultsTest {

    @TestHTTPResource("/")
    URL server;

    @Test
    void writeResults() throws Exception {
        URI base = URI.create(server.toString().replaceAll("/$", ""));
        Path file = Path.of(System.getProperty("conformance.report.dir"), "tandem.json");
        ConformanceReport.write(file, ConformanceReport.run("tandem", base));

        JsonNode written = ConformanceCase.MAPPER.readTree(file.toFile());
        assertEquals("tandem", written.get("target").asText());
        assertEquals(base.toString(), written.get("baseUrl").asText());
        List<ConformanceCase> cases = ConformanceCase.all();
        assertEquals(ConformanceTest.CASES, cases.size());
        assertEquals(cases.size(), written.get("cases").asInt(), "cases");
        assertEquals(cases.size(), written.get("passed").asInt(), "passed");
        JsonNode results = written.get("results");
        assertEquals(cases.size(), results.size(), "results");
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ConformanceCase c = cases.get(i);
            JsonNode r = results.get(i);
            JsonNode request = c.json().get("request");
            assertEquals(c.file(), r.get("file").asText());
            assertEquals(c.name(), r.get("name").asText());
            assertEquals(request.get("method").asText(), r.get("method").asText(), c.name());
            assertEquals(request.get("path").asText(), r.get("path").asText(), c.name());
            assertEquals(c.json().get("status").asInt(), r.get("expectedStatus").asInt(), c.name());
            if (!r.get("passed").asBoolean() || r.get("status").asInt() != r.get("expectedStatus").asInt()
                    || !r.get("problems").isEmpty()) {
                failed.add(c.name() + ": " + r);
            }
        }
        assertTrue(failed.isEmpty(), () -> "cases written as failed: " + String.join("\n", failed));
    }
}
