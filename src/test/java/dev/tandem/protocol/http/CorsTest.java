package dev.tandem.protocol.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.protocol.HttpExchange;
import io.quarkus.test.junit.QuarkusTest;
import dev.tandem.client.ClientProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * CORS (Fetch standard, "CORS protocol") in front of REST, gRPC-Web and Connect, with {@code
 * tandem.cors.allowed-origins} set to {@link ClientProfile}'s origins: preflights from {@link #ORIGIN}
 * of each protocol's requests are answered with the allowed methods and the protocols' request headers; answers to the allowed origin expose
 * the gRPC status headers, {@code ETag} and {@code Location}; another origin is refused. Without the
 * setting (the default) no CORS header is sent: {@code ConnectTest#noCorsWithoutAllowedOrigins}. A
 * real browser's view: {@code BrowserClientTest}.
 */
@QuarkusTest
@TestProfile(ClientProfile.class)
class CorsTest {

    static final String ORIGIN = ClientProfile.ORIGIN;

    @Inject
    Vertx vertx;

    @ParameterizedTest
    @ValueSource(strings = {
        "/v1/users|GET|authorization",
        "/user.v1.UserService/GetUserById|POST|content-type,x-grpc-web,x-user-agent,grpc-timeout",
        "/user.v1.UserService/GetUserById|POST|content-type,connect-protocol-version,connect-timeout-ms",
        "/v1/users/1|PATCH|content-type,if-match"})
    void aPreflightFromTheAllowedOriginIsAnswered(String spec) throws Exception {
        String[] s = spec.split("\\|");
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, s[0], Map.of(
                "origin", ORIGIN, "access-control-request-method", s[1], "access-control-request-headers", s[2]), null);
        assertTrue(r.status() == 200 || r.status() == 204, () -> r.status() + " " + r.headers());
        assertEquals(ORIGIN, r.headers().get("access-control-allow-origin"));
        assertTrue(lower(r.headers().get("access-control-allow-methods")).contains(s[1].toLowerCase(Locale.ROOT)), r.headers()::toString);
        String allowed = lower(r.headers().get("access-control-allow-headers"));
        for (String h : s[2].split(",")) {
            assertTrue(allowed.contains(h), () -> h + " not in " + allowed);
        }
        assertEquals("3600", r.headers().get("access-control-max-age"));
    }

    @Test
    void answersToTheAllowedOriginExposeTheProtocolHeaders() throws Exception {
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/helloworld.Greeter/SayHello", Map.of("origin", ORIGIN, "content-type", "application/json"),
                Buffer.buffer("{\"name\":\"cors\"}"));
        assertEquals(200, r.status(), r::text);
        assertEquals(ORIGIN, r.headers().get("access-control-allow-origin"));
        String exposed = lower(r.headers().get("access-control-expose-headers"));
        for (String h : List.of("grpc-status", "grpc-message", "grpc-status-details-bin", "etag", "location")) {
            assertTrue(exposed.contains(h), () -> h + " not in " + exposed);
        }
    }

    @Test
    void anotherOriginIsRefused() throws Exception {
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.OPTIONS,
                "/helloworld.Greeter/SayHello", Map.of("origin", "https://evil.example.com",
                        "access-control-request-method", "POST", "access-control-request-headers", "content-type"), null);
        assertNull(r.headers().get("access-control-allow-origin"), r.headers()::toString);
        assertEquals(403, r.status());
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
