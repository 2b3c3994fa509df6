package dev.tandem.protocol.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.protocol.HttpExchange;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Connect protocol (connectrpc.com/docs/protocol) on the shared port, checked on the wire with a
 * real HTTP client: unary POST in JSON and proto, GET of side-effect-free methods, Connect's error
 * body and HTTP status table, {@code Connect-Timeout-Ms}, and server streaming with envelopes and
 * the end-of-stream message. The Connect-ES client's view is {@code ConnectClientTest}.
 */
@QuarkusTest
class ConnectTest {

    private static final String ECHO = "/tandem.conformance.v1.Conformance/Echo";
    private static final String GET_USER = "/user.v1.UserService/GetUserById";

    @Inject
    Vertx vertx;

    @Test
    void unaryJsonAnswersTheMessageAsJson() throws Exception {
        HttpExchange r = post(HttpVersion.HTTP_1_1, ECHO, "application/json", "{\"stringValue\":\"c\",\"int32Value\":5}");
        assertEquals(200, r.status(), r::text);
        assertEquals("application/json", r.headers().get("content-type"));
        assertNotNull(r.headers().get("x-request-id"));
        JsonObject body = new JsonObject(r.text());
        assertEquals("c", body.getString("stringValue"));
        assertEquals(5, body.getInteger("int32Value"));
    }

    /** A response over 1 KiB is gzipped for a client that accepts gzip, and only for one. */
    @Test
    void aLargeUnaryResponseIsGzippedForAClientThatAcceptsIt() throws Exception {
        String big = "x".repeat(4096);
        String json = "{\"stringValue\":\"" + big + "\"}";
        HttpExchange gz = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST, ECHO,
                Map.of("content-type", "application/json", "accept-encoding", "gzip"), Buffer.buffer(json));
        assertEquals(200, gz.status(), gz::text);
        assertEquals("gzip", gz.headers().get("content-encoding"));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body().getBytes()))) {
            assertEquals(big, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getString("stringValue"));
        }
        HttpExchange plain = post(HttpVersion.HTTP_1_1, ECHO, "application/json", json);
        assertEquals(null, plain.headers().get("content-encoding"));
        assertEquals(big, new JsonObject(plain.text()).getString("stringValue"));
    }

    @Test
    void unaryProtoOverHttp2AnswersTheMessageAsProto() throws Exception {
        Kitchen k = Kitchen.newBuilder().setStringValue("p").setInt64Value(9).build();
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_2, HttpMethod.POST, ECHO,
                Map.of("content-type", "application/proto", "connect-protocol-version", "1"), Buffer.buffer(k.toByteArray()));
        assertEquals(200, r.status());
        assertEquals("application/proto", r.headers().get("content-type"));
        assertEquals(k, Kitchen.parseFrom(r.body().getBytes()));
    }

    @Test
    void anErrorIsConnectsJsonWithItsHttpStatusAndDetails() throws Exception {
        HttpExchange r = post(HttpVersion.HTTP_1_1, GET_USER, "application/json", "{\"id\":0}");
        assertEquals(400, r.status());
        assertEquals("application/json", r.headers().get("content-type"));
        JsonObject error = new JsonObject(r.text());
        assertEquals("invalid_argument", error.getString("code"));
        assertTrue(error.getString("message").contains("id"), r::text);
        JsonObject detail = error.getJsonArray("details").getJsonObject(0);
        assertEquals("google.rpc.BadRequest", detail.getString("type"));
        com.google.rpc.BadRequest br = com.google.rpc.BadRequest.parseFrom(Base64.getDecoder().decode(detail.getString("value")));
        assertEquals("id", br.getFieldViolations(0).getField());
    }

    @Test
    void getCallsASideEffectFreeMethod() throws Exception {
        String json = URLEncoder.encode("{\"id\":0}", StandardCharsets.UTF_8);
        HttpExchange r = get(GET_USER + "?connect=v1&encoding=json&message=" + json);
        assertEquals(400, r.status(), r::text);
        assertEquals("invalid_argument", new JsonObject(r.text()).getString("code"));

        String proto = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(GetUserRequest.newBuilder().setId(987654321).build().toByteArray());
        r = get(GET_USER + "?encoding=proto&base64=1&message=" + proto);
        assertEquals(404, r.status(), r::text);
        assertEquals("not_found", new JsonObject(r.text()).getString("code"));
    }

    @Test
    void getOfAMethodWithSideEffectsIs405() throws Exception {
        HttpExchange r = get("/user.v1.UserService/CreateUser?encoding=json&message=%7B%7D");
        assertEquals(405, r.status());
        assertEquals("POST", r.headers().get("allow"));
        assertEquals("unimplemented", new JsonObject(r.text()).getString("code"));
    }

    @Test
    void aMalformedTimeoutIsInvalidArgument() throws Exception {
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST, ECHO,
                Map.of("content-type", "application/json", "connect-timeout-ms", "-5"), Buffer.buffer("{}"));
        assertEquals(400, r.status());
        assertEquals("invalid_argument", new JsonObject(r.text()).getString("code"));
    }

    @Test
    void aStreamSendsEnvelopesAndTheEndOfStreamMessage() throws Exception {
        byte[] req = "{\"count\":2,\"failCode\":10}".getBytes(StandardCharsets.UTF_8);
        Buffer body = Buffer.buffer().appendByte((byte) 0).appendInt(req.length).appendBytes(req);
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/tandem.conformance.v1.Conformance/StreamKitchens",
                Map.of("content-type", "application/connect+json"), body);
        assertEquals(200, r.status());
        assertEquals("application/connect+json", r.headers().get("content-type"));
        List<int[]> flags = new ArrayList<>();
        List<JsonObject> messages = new ArrayList<>();
        for (int i = 0; i < r.body().length(); ) {
            int length = r.body().getInt(i + 1);
            flags.add(new int[] {r.body().getUnsignedByte(i)});
            messages.add(new JsonObject(r.body().getBuffer(i + 5, i + 5 + length)));
            i += 5 + length;
        }
        assertEquals(3, messages.size(), r::text);
        assertEquals(2, messages.get(1).getInteger("int32Value"));
        assertEquals(2, flags.get(2)[0]);
        JsonObject error = messages.get(2).getJsonObject("error");
        assertEquals("aborted", error.getString("code"));
        assertEquals("failed after 2", error.getString("message"));
    }

    @Test
    void aStreamingContentTypeForAUnaryMethodIs415() throws Exception {
        HttpExchange r = post(HttpVersion.HTTP_1_1, ECHO, "application/connect+json", "");
        assertEquals(415, r.status());
    }

    /** Without tandem.cors.allowed-origins (the %test default) no origin gets CORS headers. */
    @Test
    void noCorsWithoutAllowedOrigins() throws Exception {
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/v1/users",
                Map.of("origin", "https://app.example.com", "access-control-request-method", "GET"), null);
        assertEquals(null, r.headers().get("access-control-allow-origin"), r.headers()::toString);
    }

    /** connectrpc.com/docs/protocol, "Error Codes": Connect's HTTP status of each code. */
    @Test
    void httpStatusesAreConnectsTable() {
        Map<String, Integer> connect = Map.ofEntries(Map.entry("canceled", 499), Map.entry("unknown", 500),
                Map.entry("invalid_argument", 400), Map.entry("deadline_exceeded", 504), Map.entry("not_found", 404),
                Map.entry("already_exists", 409), Map.entry("permission_denied", 403),
                Map.entry("resource_exhausted", 429), Map.entry("failed_precondition", 400),
                Map.entry("aborted", 409), Map.entry("out_of_range", 400), Map.entry("unimplemented", 501),
                Map.entry("internal", 500), Map.entry("unavailable", 503), Map.entry("data_loss", 500),
                Map.entry("unauthenticated", 401));
        for (Status.Code code : Status.Code.values()) {
            if (code == Status.Code.OK) {
                continue;
            }
            String name = ConnectErrors.codeName(code);
            assertEquals(connect.get(name), ConnectErrors.httpStatus(code), name);
        }
        assertEquals(16, connect.size());
    }

    private HttpExchange post(HttpVersion v, String path, String contentType, String body) throws Exception {
        return HttpExchange.send(vertx, v, HttpMethod.POST, path, Map.of("content-type", contentType),
                Buffer.buffer(body));
    }

    private HttpExchange get(String uri) throws Exception {
        return HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Map.of(), null);
    }
}
