package dev.tandem.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.PackagedApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/run}, the quick start's first command, on the packaged jar ({@code --no-build}) with a
 * database of its own: its logs are human-readable lines when standard output is a terminal (run
 * under util-linux {@code script}, which gives the command a pseudo-terminal) and JSON lines, as in
 * the container and the Kubernetes manifests, when it is not; and the start-up log has no warning but
 * the one {@code bin/run} asks for (authentication is off). In particular no Micrometer "This Gauge
 * has been already registered" warning: see {@code dev.tandem.observability.EventLoopMetrics}.
 */
class BinRunIT {

    private static final String DB = "tandem_binrun_it";
    private static final String ADMIN_URL = System.getenv().getOrDefault("TANDEM_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String DB_URL = ADMIN_URL.replaceFirst("/[^/]*$", "/" + DB);
    private static final Path WORK = Path.of("target", "bin-run-it");

    /** The one warning bin/run's settings cause on purpose (dev.tandem.security.AuthStartupCheck). */
    private static final String AUTH_OFF = "Authentication is OFF (tandem.auth.enabled=false): every caller may call every RPC";

    /** A text log line: quarkus.log.console.format starts with the date, time and level. */
    private static final Pattern TEXT_LINE = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) +\\[.*");

    @BeforeAll
    static void scratchDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DB);
        }
        Files.createDirectories(WORK);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    @Test
    void aTerminalGetsTextLogs() throws Exception {
        List<String> lines = runUntilReady(true, "tty.log");
        assertTrue(lines.stream().anyMatch(l -> l.contains(", text logs)")), () -> "banner says text logs:\n" + String.join("\n", lines));
        List<String> logLines = lines.stream().filter(l -> TEXT_LINE.matcher(l).matches()).toList();
        assertTrue(logLines.stream().anyMatch(l -> l.contains(" INFO ") && l.contains("started in")),
                () -> "a text INFO line says the application started:\n" + String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("{")), () -> "no JSON line:\n" + String.join("\n", lines));
        List<String> warnings = logLines.stream().filter(l -> l.matches("^\\S+ \\S+ WARN .*")).toList();
        assertEquals(1, warnings.size(), () -> "one warning:\n" + String.join("\n", warnings));
        assertTrue(warnings.get(0).endsWith(AUTH_OFF), warnings.get(0));
    }

    @Test
    void aPipeGetsJsonLogsWithNoWarningButAuthOff() throws Exception {
        List<String> lines = runUntilReady(false, "pipe.log");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("{")) {
                records.add(json.readTree(l));
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains(", JSON logs)")), () -> "banner says JSON logs:\n" + String.join("\n", lines));
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().contains("started in")),
                () -> "a JSON record says the application started:\n" + String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> TEXT_LINE.matcher(l).matches()), "no text log line");
        List<String> warnings = records.stream().filter(r -> !r.path("level").asText().matches("INFO|DEBUG|TRACE"))
                .map(r -> r.path("level").asText() + " " + r.path("loggerName").asText() + ": " + r.path("message").asText()).toList();
        assertEquals(List.of("WARN dev.tandem.security.AuthStartupCheck: " + AUTH_OFF), warnings,
                "the start-up log warns only that authentication is off (no Micrometer 'Gauge has been already registered')");
    }

    /**
     * Runs {@code bin/run --no-build} until the service is ready, stops it (SIGTERM to its JVM) and
     * returns what it printed on standard output and error.
     */
    private static List<String> runUntilReady(boolean terminal, String logName) throws Exception {
        int port = PackagedApp.freePort();
        Path log = WORK.resolve(logName);
        List<String> command = terminal
                ? List.of("script", "--quiet", "--return", "--flush", "--command", "bin/run --no-build", "/dev/null")
                : List.of("bin/run", "--no-build");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("QUARKUS_LOG_CONSOLE_JSON_ENABLED");
        env.remove("QUARKUS_PROFILE");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", DB_URL);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        boolean stopped = false;
        try {
            awaitReady(p, port, log, Duration.ofSeconds(120));
        } finally {
            // SIGTERM to the JVM, a graceful stop: bin/run execs java, so without a terminal the JVM is
            // the process itself; under `script` it is a descendant
            List<ProcessHandle> jvm = p.descendants().toList();
            if (jvm.isEmpty()) {
                p.destroy();
            } else {
                jvm.forEach(ProcessHandle::destroy);
            }
            stopped = p.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        assertTrue(stopped, "bin/run stops within 60 s of SIGTERM to its JVM");
        // a terminal gets colours (ANSI SGR sequences) and CR LF line ends: compare the text
        return List.of(Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "").replace("\r", "")
                .split("\n"));
    }

    private static void awaitReady(Process p, int port, Path log, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("bin/run exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100); // polling interval of the readiness probe, not a stand-in for an event
        }
        throw new IllegalStateException("bin/run not ready after " + timeout + ":\n" + Files.readString(log));
    }
}
