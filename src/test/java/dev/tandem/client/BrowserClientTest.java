package dev.tandem.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real browser (Debian's headless Chromium, driven by npm {@code playwright-core}) loads a page
 * served from another origin than Tandem, {@code src/test/connect/browser} bundled by esbuild with
 * npm {@code @connectrpc/connect-web}, which calls {@code ItemService.GetItem} over gRPC-Web, {@code
 * Greeter.SayHello} over the Connect protocol and {@code GET /v1/greeter/{name}} with {@code fetch}.
 * From the origin this test's profile ({@link ClientProfile}) allows all three answer;
 * the same page from another origin (the same server by another host name) is refused by CORS, all
 * three. The allowed run's screenshot is {@code target/browser-test.png}; it replaces {@code
 * docs/browser-test.png} when that is missing or {@code TANDEM_UPDATE_DOCS=1} (a screenshot differs by
 * a few bytes from run to run, so every test run would otherwise change the checkout).
 *
 * <p>Needs {@code /usr/bin/chromium} ({@code .ci/run} installs Debian's {@code chromium}; {@code
 * TANDEM_CHROMIUM} names another), {@code node} and {@code npm}.
 */
@QuarkusTest
@TestProfile(ClientProfile.class)
class BrowserClientTest {

    /** The port of the page's server, whose origin the profile allows. */
    static final int PAGE_PORT = ClientProfile.PAGE_PORT;
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    private static final Path SCREENSHOT = Path.of("target", "browser-test.png");
    private static final Path DOCS_SCREENSHOT = Path.of("docs", "browser-test.png");

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL server;

    private HttpServer pageServer;

    @BeforeEach
    void servePage() throws Exception {
        ConnectEsProject.prepare();
        Path dir = ConnectEsProject.DIR.resolve(Path.of("gen", "browser")).toAbsolutePath();
        pageServer = vertx.createHttpServer().requestHandler(req -> {
            String name = req.path().equals("/") ? "index.html" : req.path().substring(1);
            Path file = dir.resolve(name).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                req.response().setStatusCode(404).end();
                return;
            }
            req.response().putHeader("content-type", name.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8")
                    .sendFile(file.toString());
        }).listen(PAGE_PORT, "0.0.0.0").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopPage() throws Exception {
        pageServer.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aPageFromAnAllowedOriginCallsOverGrpcWebConnectAndRest() throws Exception {
        JsonNode results = open("127.0.0.1", SCREENSHOT);
        assertOk(results, "gRPC-Web ItemService.GetItem", "pencil");
        assertOk(results, "Connect Greeter.SayHello", "Hello Browser");
        assertOk(results, "REST GET /v1/greeter/Fetch", "200 Hello Fetch");
        if (!Files.exists(DOCS_SCREENSHOT) || "1".equals(System.getenv("TANDEM_UPDATE_DOCS"))) {
            Files.copy(SCREENSHOT, DOCS_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void thePageFromAnotherOriginIsRefusedByCors() throws Exception {
        JsonNode results = open("localhost", ConnectEsProject.WORK.resolve("browser-refused.png"));
        assertEquals(3, results.size(), results::toString);
        results.fields().forEachRemaining(e -> assertFalse(e.getValue().get("ok").asBoolean(), e::toString));
    }

    private static void assertOk(JsonNode results, String call, String answer) {
        JsonNode r = results.get(call);
        assertTrue(r != null && r.get("ok").asBoolean(), () -> call + ": " + results);
        assertEquals(answer, r.get("value").asText());
    }

    /** Opens the page as served under {@code host}; returns {@code window.tandemResults}. */
    private JsonNode open(String host, Path screenshot) throws Exception {
        String api = "http://" + server.getHost() + ":" + server.getPort();
        String page = "http://" + host + ":" + PAGE_PORT + "/?api=" + api;
        ConnectEsProject.Result node = ConnectEsProject.run(
                List.of("node", "browser/browser.mjs", page, screenshot.toAbsolutePath().toString()),
                Map.of(), NODE_TIMEOUT, ConnectEsProject.WORK.resolve("browser-" + host + ".log"));
        System.out.println("node browser/browser.mjs " + page + ":\n" + node.output());
        assertEquals(0, node.exitCode(), () -> "the browser run failed:\n" + node.output());
        for (String line : node.output().split("\n")) {
            if (line.startsWith("RESULTS ")) {
                return new ObjectMapper().readTree(line.substring("RESULTS ".length()));
            }
        }
        fail("no RESULTS line:\n" + node.output());
        return null;
    }
}
