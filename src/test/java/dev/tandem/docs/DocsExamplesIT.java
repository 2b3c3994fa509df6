package dev.tandem.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every example block of the docs prints, against a fresh service, what the docs show: runs {@code
 * docs/examples.sh --check --no-build} on the packaged jar, with the scratch databases on the test
 * PostgreSQL (the host and port of {@code TANDEM_TEST_DB_URL}). When it fails, its output names each
 * block that differs; {@code docs/examples.sh} rewrites them.
 */
class DocsExamplesIT {

    @Test
    void examplesPrintWhatTheDocsShow() throws Exception {
        URI db = URI.create(System.getenv().getOrDefault("TANDEM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test").substring(5));
        Path log = Path.of("target", "examples", "check.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(List.of("docs/examples.sh", "--check", "--no-build"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TANDEM_EXAMPLES_PG", db.getHost() + ":" + (db.getPort() < 0 ? 5432 : db.getPort()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "docs/examples.sh finished");
        assertEquals(0, p.exitValue(), () -> "docs/examples.sh --check:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
