package dev.tandem.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.PackagedApp;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar as {@code Dockerfile.jvm} lays it out, or the native
 * executable) in the prod profile, where authentication is on by default:
 *
 * <ul>
 *   <li>without a token verification key and issuer it does not start, and says which variables to
 *       set;</li>
 *   <li>with them ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} a PEM file, {@code
 *       MP_JWT_VERIFY_ISSUER}), TLS on its one port from a self-signed certificate made now
 *       ({@code QUARKUS_TLS_KEY_STORE_PEM__0__CERT}/{@code __KEY}: the double underscores quote the
 *       map key {@code 0} of {@code quarkus.tls.key-store.pem.0.cert}; {@code QUARKUS_HTTP_SSL_PORT},
 *       {@code QUARKUS_HTTP_INSECURE_REQUESTS=disabled}) and {@code TANDEM_AUTH_METRICS_ROLE}, it
 *       serves gRPC over TLS (grpc-java Netty client, h2 by ALPN) and REST over HTTPS (java.net.http,
 *       HTTP/2 by ALPN) to callers with a token, refuses those without, keeps health open, protects
 *       {@code /q/metrics}, and serves nothing in cleartext.</li>
 * </ul>
 */
class ProductionSecurityIT {

    private static final String ADMIN_URL = System.getenv().getOrDefault("TANDEM_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    /** A database of its own, named after the test database, so that parallel checkouts do not share it. */
    private static final String DB = ADMIN_URL.substring(ADMIN_URL.lastIndexOf('/') + 1).replaceAll("\\W", "") + "_security_it";
    private static final String DB_URL = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + DB;

    @Test
    void withoutAVerificationKeyAndIssuerItDoesNotStart() throws Exception {
        freshDatabase();
        try (PackagedApp app = PackagedApp.start(Path.of("target", "security-it", "no-key"), PackagedApp.freePort(),
                prod(Map.of()))) {
            assertTrue(app.process().waitFor(90, TimeUnit.SECONDS), "the application gave up by itself");
            assertNotEquals(0, app.process().exitValue());
            String log = String.join("\n", app.lines());
            assertTrue(log.contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION") && log.contains("MP_JWT_VERIFY_ISSUER"),
                    "says what to set:\n" + log);
        }
    }

    @Test
    void tlsOnTheOnePortWithBearerTokensOverBothProtocols() throws Exception {
        freshDatabase();
        Path work = Path.of("target", "security-it", "tls");
        SelfSignedTls tls = SelfSignedTls.make(work.resolve("cert"));
        int port = PackagedApp.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.publicKeyFile().toString(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER,
                "TANDEM_AUTH_METRICS_ROLE", "metrics",
                "QUARKUS_TLS_KEY_STORE_PEM__0__CERT", tls.cert().toAbsolutePath().toString(),
                "QUARKUS_TLS_KEY_STORE_PEM__0__KEY", tls.key().toAbsolutePath().toString(),
                "QUARKUS_HTTP_SSL_PORT", String.valueOf(port),
                "QUARKUS_HTTP_INSECURE_REQUESTS", "disabled"));
        HttpClient https = HttpClient.newBuilder().sslContext(tls.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        try (PackagedApp app = PackagedApp.start(work, port, prod(env))) {
            awaitReady(app, https, port);
            String reader = TestTokens.bearer(TestTokens.valid("reader"));

            // REST over HTTPS (HTTP/2 by ALPN)
            HttpResponse<String> hello = get(https, port, "/v1/greeter/tls", reader);
            assertEquals(200, hello.statusCode(), hello.body());
            assertEquals(HttpClient.Version.HTTP_2, hello.version());
            assertTrue(hello.body().contains("Hello tls"), hello.body());
            HttpResponse<String> anonymous = get(https, port, "/v1/users/1", null);
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"tandem\""));
            assertEquals(200, get(https, port, "/v1/users/1", reader).statusCode());
            HttpResponse<String> write = HttpClient.newBuilder().sslContext(tls.clientContext()).build().send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/items"))
                            .header("Authorization", reader).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"pen\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, write.statusCode(), write.body());

            // health open; metrics need the metrics role
            assertEquals(200, get(https, port, "/q/health/ready", null).statusCode());
            assertEquals(401, get(https, port, "/q/metrics", null).statusCode());
            assertEquals(403, get(https, port, "/q/metrics", reader).statusCode());
            HttpResponse<String> metrics = get(https, port, "/q/metrics", TestTokens.bearer(TestTokens.valid("metrics")));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("tandem_rpc_server_seconds_count"), "per-RPC metrics are there");

            // gRPC over TLS on the same port
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port)
                    .sslContext(GrpcSslContexts.forClient().trustManager(tls.cert().toFile()).build()).build();
            try {
                GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                        () -> greeter.sayHello(HelloRequest.newBuilder().setName("tls").build()));
                assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
                Metadata md = new Metadata();
                md.put(AuthInterceptor.AUTHORIZATION, reader);
                assertEquals("Hello tls", greeter.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                        .sayHello(HelloRequest.newBuilder().setName("tls").build()).getMessage());
                assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            // nothing in cleartext on that port
            assertNotEquals(200, app.get("/q/health/ready"), "no plaintext HTTP");
        }
    }

    private static Map<String, String> prod(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("QUARKUS_PROFILE", "prod");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", DB_URL);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("TANDEM_DEMO_DATA_ENABLED", "true");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        return env;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(PackagedApp app, HttpClient https, int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            if (!app.process().isAlive()) {
                throw new IllegalStateException("the application exited:\n" + String.join("\n", app.lines()));
            }
            try {
                if (get(https, port, "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not ready over HTTPS:\n" + String.join("\n", app.lines()));
    }

    private static void freshDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DB);
        }
    }
}
