package dev.tandem.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * HTTP/1.1 framing that two parsers could read differently (RFC 9112 sections 6.1, 6.3, 11.2: request
 * smuggling) is refused with a {@code google.rpc.Status} and the connection is closed, so that the
 * bytes sent after such a request on the same connection, here a complete request creating a user,
 * are never served as a second request. Raw bytes over a socket ({@link RawHttp}).
 */
@QuarkusTest
class HttpFramingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @TestHTTPResource("/")
    URL server;

    /**
     * A name, the head of a POST /v1/users whose framing is ambiguous, its status, and its body. A
     * single chunked coding (with or without a Content-Length beside it) is served, here an empty
     * body (400), and the connection closed after it.
     */
    record Case(String name, String head, int status, String body) {}

    static List<Case> cases() {
        String h = "POST /v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        return List.of(
                new Case("Content-Length and Transfer-Encoding", h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400, "0\r\n\r\n"),
                new Case("Transfer-Encoding and Content-Length", h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400, "0\r\n\r\n"),
                new Case("xchunked with Content-Length", h + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n", 400, "0\r\n\r\n"),
                new Case("xchunked", h + "Transfer-Encoding: xchunked\r\n", 400, "0\r\n\r\n"),
                new Case("a tab inside the coding", h + "Transfer-Encoding: chun\tked\r\n", 400, "0\r\n\r\n"),
                new Case("chunked, identity", h + "Transfer-Encoding: chunked, identity\r\n", 400, "0\r\n\r\n"),
                new Case("two Transfer-Encoding fields", h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400, "0\r\n\r\n"),
                new Case("identity then chunked fields", h + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n", 400, "0\r\n\r\n"),
                new Case("obs-fold Transfer-Encoding", h + "Transfer-Encoding:\r\n chunked\r\n", 400, "0\r\n\r\n"),
                new Case("obs-fold of another field from an empty line", h + "Content-Length: 0\r\nX-Folded:\r\n\tb\r\n", 400, ""),
                new Case("chunked alone", h + "Transfer-Encoding: chunked\r\n", 400, "0\r\n\r\n"));
    }

    @TestFactory
    Stream<DynamicTest> ambiguousFramingIsRefusedAndTheConnectionClosed() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String email = TestDb.uniqueEmail();
            String smuggled = "{\"firstName\":\"Smug\",\"lastName\":\"Gled\",\"email\":\"" + email + "\"}";
            String second = "POST /v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + smuggled.length() + "\r\n\r\n" + smuggled;
            byte[] raw = (c.head() + "\r\n" + c.body() + second).getBytes(StandardCharsets.ISO_8859_1);

            RawHttp.Exchange exchange = RawHttp.exchange(server.getHost(), server.getPort(), raw, 15_000);

            assertTrue(exchange.closed(), "the server closes the connection: " + exchange.text());
            assertEquals(1, exchange.responses(), "one response, none for the bytes after: " + exchange.text());
            RawHttp.Response first = exchange.first();
            assertEquals(c.status(), first.status(), exchange.text());
            JsonNode status = JSON.readTree(first.body());
            assertEquals(3, status.path("code").asInt(), first.body());
            assertEquals(0, db.single("select count(*) from users where email = '" + email + "'"),
                    "the bytes after the refused request were not served");
        }));
    }

    @Test
    void aWellFramedRequestKeepsTheConnectionForTheNext() throws Exception {
        String body = "{\"name\":\"pipelined\"}";
        String get = "GET /v1/users/1 HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String close = "GET /v1/users/2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        RawHttp.Exchange exchange = RawHttp.exchange(server.getHost(), server.getPort(),
                (get + close).getBytes(StandardCharsets.ISO_8859_1), 15_000);
        assertEquals(2, exchange.responses(), exchange.text());
        assertEquals(200, exchange.first().status(), exchange.text());
        assertTrue(body.length() > 0);
    }

    @Test
    void anUnknownHttpVersionIs505WithAStatus() throws Exception {
        RawHttp.Exchange exchange = RawHttp.exchange(server.getHost(), server.getPort(),
                "GET /v1/users/1 HTTP/9.9\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 15_000);
        assertTrue(exchange.text().matches("(?s)HTTP/\\d\\.\\d 505 .*"), exchange.text());
        assertTrue(exchange.text().contains("\"code\":12"), exchange.text());
    }
}
