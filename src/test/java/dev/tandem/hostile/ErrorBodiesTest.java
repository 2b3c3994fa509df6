package dev.tandem.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Refusals of the HTTP layer on Tandem's port are a {@code google.rpc.Status} JSON body with a 4xx
 * status and a code that is neither {@code UNKNOWN} nor {@code INTERNAL}, never an empty body or
 * Quarkus's error page: a request without {@code Host}, whatever the client accepts, and an unknown
 * path asked for as HTML. Raw bytes over a socket ({@link RawHttp}).
 *
 * <p>Not yet: a malformed percent-escape ({@code %zz}, {@code %}, {@code %2}, {@code %u0031}) in
 * the path or query is refused by Quarkus's own {@code java.net.URI} check in front of the router
 * (400, empty body; see docs/security.md, "Limits"), so those cases are not listed here.
 */
@QuarkusTest
class ErrorBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL server;

    /** A name, the raw request and the expected HTTP status. */
    record Case(String name, String request, int status) {}

    static List<Case> cases() {
        List<Case> c = new java.util.ArrayList<>();
        for (String accept : List.of("*/*", "text/html", "application/json")) {
            c.add(new Case("no Host, Accept " + accept, "GET /v1/users/1 HTTP/1.1\r\nAccept: " + accept + "\r\n\r\n", 400));
        }
        c.add(new Case("no Host, no Accept", "GET /v1/users/1 HTTP/1.1\r\n\r\n", 400));
        c.add(new Case("HTML to an unknown path", "GET /nowhere HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n", 404));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyRefusalIsAGoogleRpcStatus() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String request = c.request().replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
            RawHttp.Exchange exchange = RawHttp.exchange(server.getHost(), server.getPort(),
                    request.getBytes(StandardCharsets.ISO_8859_1), 15_000);
            RawHttp.Response response = exchange.first();
            assertEquals(c.status(), response.status(), exchange.text());
            assertTrue(response.contentType() != null && response.contentType().startsWith("application/json"),
                    exchange.text());
            JsonNode status = JSON.readTree(response.body());
            int code = status.path("code").asInt(-1);
            assertTrue(code > 0 && code != 2 && code != 13, exchange.text());
            assertFalse(status.path("message").asText().isEmpty(), exchange.text());
        }));
    }
}
