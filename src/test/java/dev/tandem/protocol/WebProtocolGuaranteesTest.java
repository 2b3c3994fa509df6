package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.security.AuthProfile;
import dev.tandem.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interceptors' guarantees hold on gRPC-Web and Connect as on gRPC and REST (the rows of
 * docs/guarantees.md, "The four protocols"), with production's security settings ({@link
 * AuthProfile}): authentication and authorization, the largest message, and the per-RPC metric with
 * its {@code protocol} tag.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class WebProtocolGuaranteesTest {

    private static final String GET_ITEM = "/orders.v1.ItemService/GetItem";
    private static final String CREATE_ITEM = "/orders.v1.ItemService/CreateItem";

    @Inject
    Vertx vertx;

    @Test
    void withoutATokenBothAreUnauthenticatedWithAChallenge() throws Exception {
        HttpExchange web = grpcWeb(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), null);
        assertEquals("16", web.headers().get("grpc-status"), web.headers()::toString);
        assertTrue(web.headers().get("www-authenticate").startsWith("Bearer"), web.headers()::toString);

        HttpExchange connect = connect(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), null);
        assertEquals(401, connect.status());
        assertEquals("unauthenticated", new JsonObject(connect.text()).getString("code"));
        assertNotNull(connect.headers().get("trailer-www-authenticate"), connect.headers()::toString);
    }

    @Test
    void aReaderReadsButMayNotWrite() throws Exception {
        String reader = TestTokens.valid("reader");
        assertEquals("0", trailerStatus(grpcWeb(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), reader)));
        assertEquals(200, connect(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), reader).status());

        byte[] create = CreateItemRequest.newBuilder().setName("not allowed").build().toByteArray();
        assertEquals("7", grpcWeb(CREATE_ITEM, create, reader).headers().get("grpc-status"));
        HttpExchange connect = connect(CREATE_ITEM, create, reader);
        assertEquals(403, connect.status());
        assertEquals("permission_denied", new JsonObject(connect.text()).getString("code"));
    }

    @Test
    void aMessageOverTheLimitIsResourceExhausted() throws Exception {
        String writer = TestTokens.valid("writer");
        byte[] big = CreateItemRequest.newBuilder().setName("x".repeat(1024 * 1024 + 1)).build().toByteArray();
        assertEquals("8", grpcWeb(CREATE_ITEM, big, writer).headers().get("grpc-status"));
        HttpExchange connect = connect(CREATE_ITEM, big, writer);
        assertEquals(429, connect.status());
        assertEquals("resource_exhausted", new JsonObject(connect.text()).getString("code"));
    }

    @Test
    void theRpcMetricTellsTheProtocols() throws Exception {
        String reader = TestTokens.valid("reader");
        grpcWeb(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), reader);
        connect(GET_ITEM, GetItemRequest.newBuilder().setId(1).build().toByteArray(), reader);
        String metrics = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.GET, "/q/metrics", Map.of(), null).text();
        for (String protocol : new String[] {"grpc-web", "connect"}) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("tandem_rpc_server_seconds_count{")
                    && l.contains("protocol=\"" + protocol + "\"") && l.contains("method=\"GetItem\"")),
                    () -> "no GetItem count for " + protocol);
        }
    }

    private static String trailerStatus(HttpExchange r) {
        String text = r.body().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("grpc-status:");
        return at < 0 ? r.headers().get("grpc-status") : text.substring(at + 12, text.indexOf("\r\n", at)).trim();
    }

    private HttpExchange grpcWeb(String path, byte[] message, String token) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/grpc-web+proto"));
        if (token != null) {
            headers.put("authorization", TestTokens.bearer(token));
        }
        return HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST, path, headers,
                Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message));
    }

    private HttpExchange connect(String path, byte[] message, String token) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/proto"));
        if (token != null) {
            headers.put("authorization", TestTokens.bearer(token));
        }
        return HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST, path, headers, Buffer.buffer(message));
    }
}
