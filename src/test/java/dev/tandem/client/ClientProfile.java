package dev.tandem.client;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The test profile of the tests that drive real clients ({@link NodeGrpcClientTest}, {@link
 * BrowserClientTest}) and of {@code CorsTest}: one profile, so Quarkus builds and starts one
 * application for the three (each profile costs an augmentation and a start, about 15 s of a test
 * run). In it the demo rows are loaded into a freshly migrated database (the Node client reads user
 * 1 with three orders, the browser page item 1; the three tests change no row), and {@code
 * tandem.cors.allowed-origins} allows exactly two origins: {@link #ORIGIN} and the browser page's
 * {@code http://127.0.0.1:}{@link #PAGE_PORT}.
 */
public class ClientProfile implements QuarkusTestProfile {

    /** The origin {@code CorsTest} calls from. */
    public static final String ORIGIN = "https://app.example.com";

    /** The port of the browser test page's server, chosen before Quarkus starts so that its origin is allowed. */
    public static final int PAGE_PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tandem.demo-data.enabled", "true",
                "tandem.cors.allowed-origins", ORIGIN + ",http://127.0.0.1:" + PAGE_PORT);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
