package dev.tandem;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.restassured.RestAssured;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Plain grpc-java channels (h2c, no Quarkus client) to the application under test, for tests that
 * also run as {@code @QuarkusIntegrationTest}, where {@code @GrpcClient} injection does not exist.
 * The port is RestAssured's, which both {@code @QuarkusTest} and {@code @QuarkusIntegrationTest} set
 * to the real port of the application (gRPC and REST share it). One channel per port, shut down
 * when the test JVM exits.
 */
public final class TestChannels {

    private static final Map<Integer, ManagedChannel> CHANNELS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHANNELS.values().forEach(c -> {
            c.shutdownNow();
            try {
                c.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "test-channels-shutdown"));
    }

    private TestChannels() {
    }

    /**
     * @return a channel to {@code localhost} on the port the current test's application listens
     *     on; call it from a test or {@code @BeforeEach} method, once RestAssured knows the port
     */
    public static ManagedChannel app() {
        return to(RestAssured.port);
    }

    /**
     * @param port a local port serving gRPC in plaintext
     * @return a shared channel to {@code localhost:port}
     */
    public static ManagedChannel to(int port) {
        return CHANNELS.computeIfAbsent(port,
                p -> ManagedChannelBuilder.forAddress("localhost", p).usePlaintext().build());
    }
}
