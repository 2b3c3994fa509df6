package dev.tandem.conformance;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes Tandem's conformance results file for {@link ConformanceReport}: every case run over real
 * HTTP against this test server, as {@code <conformance.report.dir>/tandem.json}. Runs only when the
 * system property {@code conformance.report.dir} is set ({@code conformance/run-grpc-gateway.sh}
 * sets it); it asserts nothing, since {@link ConformanceTest} does.
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
    }
}
