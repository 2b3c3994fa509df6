package dev.tandem.protocol.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.conformance.api.StreamRequest;
import dev.tandem.protocol.HttpExchange;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * gRPC-Web (grpc/grpc doc/PROTOCOL-WEB.md) on the shared port, checked on the wire over HTTP/1.1 and
 * HTTP/2 with a real HTTP client: unary and server-streaming calls, the trailers frame, trailers-only
 * errors with {@code grpc-status-details-bin}, and the base64 {@code grpc-web-text} variant. The
 * Connect-ES client's view of the same edge is {@code ConnectClientTest}.
 */
@QuarkusTest
class GrpcWebTest {

    private static final String ECHO = "/tandem.conformance.v1.Conformance/Echo";
    private static final String STREAM = "/tandem.conformance.v1.Conformance/StreamKitchens";

    @Inject
    Vertx vertx;

    enum Version {
        HTTP_1_1(HttpVersion.HTTP_1_1), HTTP_2(HttpVersion.HTTP_2);

        final HttpVersion version;

        Version(HttpVersion version) {
            this.version = version;
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void unaryCallAnswersTheMessageAndATrailersFrame(Version v) throws Exception {
        Kitchen k = Kitchen.newBuilder().setStringValue("web").setInt32Value(7).build();
        HttpExchange r = post(v, ECHO, "application/grpc-web+proto", frame(0, k.toByteArray()));
        assertEquals(200, r.status());
        assertEquals("application/grpc-web+proto", r.headers().get("content-type"));
        assertNotNull(r.headers().get("x-request-id"), "response metadata are HTTP headers");
        List<Frame> frames = frames(r.body());
        assertEquals(2, frames.size(), frames::toString);
        assertEquals(k, Kitchen.parseFrom(frames.get(0).payload()));
        assertEquals(0x80, frames.get(1).flags());
        assertEquals("0", trailers(frames.get(1)).get("grpc-status"));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void serverStreamSendsEveryMessageThenTheStatusInTheTrailersFrame(Version v) throws Exception {
        StreamRequest req = StreamRequest.newBuilder().setCount(3).setFailCode(10).build();
        HttpExchange r = post(v, STREAM, "application/grpc-web", frame(0, req.toByteArray()));
        assertEquals(200, r.status());
        List<Frame> frames = frames(r.body());
        assertEquals(4, frames.size(), frames::toString);
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, Kitchen.parseFrom(frames.get(i).payload()).getInt32Value());
        }
        Map<String, String> trailers = trailers(frames.get(3));
        assertEquals("10", trailers.get("grpc-status"));
        assertEquals("failed after 3", trailers.get("grpc-message"));
        assertNotNull(trailers.get("grpc-status-details-bin"));
    }

    @Test
    void anErrorBeforeAnyMessageIsTrailersOnlyWithTheStatusDetails() throws Exception {
        GetUserRequest bad = GetUserRequest.newBuilder().setId(0).build();
        HttpExchange r = post(Version.HTTP_1_1, "/user.v1.UserService/GetUserById", "application/grpc-web+proto",
                frame(0, bad.toByteArray()));
        assertEquals(200, r.status());
        assertEquals("3", r.headers().get("grpc-status"));
        assertEquals(0, r.body().length());
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(
                Base64.getDecoder().decode(pad(r.headers().get("grpc-status-details-bin"))));
        assertEquals(3, status.getCode());
        assertTrue(status.getDetails(0).is(BadRequest.class), status::toString);
        assertEquals("id", status.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField());
    }

    @Test
    void textVariantIsBase64BothWaysAndAcceptsPaddedChunks() throws Exception {
        Kitchen k = Kitchen.newBuilder().setStringValue("text").build();
        byte[] f = frame(0, k.toByteArray()).getBytes();
        // two separately padded base64 pieces, as a browser client may send them
        String body = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(f, 0, 4))
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(f, 4, f.length));
        HttpExchange r = post(Version.HTTP_1_1, ECHO, "application/grpc-web-text",
                Buffer.buffer(body.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(200, r.status());
        assertEquals("application/grpc-web-text", r.headers().get("content-type"));
        List<Frame> frames = frames(decodeChunks(r.text()));
        assertEquals(k, Kitchen.parseFrom(frames.get(0).payload()));
        assertEquals("0", trailers(frames.get(1)).get("grpc-status"));
    }

    @Test
    void anUnknownMethodIsUnimplemented() throws Exception {
        HttpExchange r = post(Version.HTTP_2, "/no.Such/Method", "application/grpc-web+proto", frame(0, new byte[0]));
        assertEquals(200, r.status());
        assertEquals("12", r.headers().get("grpc-status"));
    }

    @Test
    void aTruncatedFrameIsInvalidArgument() throws Exception {
        HttpExchange r = post(Version.HTTP_1_1, ECHO, "application/grpc-web+proto",
                Buffer.buffer(new byte[] {0, 0, 0, 0, 9, 1}));
        assertEquals(200, r.status());
        assertEquals("3", r.headers().get("grpc-status"), r.headers()::toString);
    }

    private HttpExchange post(Version v, String path, String contentType, Buffer body) throws Exception {
        return HttpExchange.send(vertx, v.version, HttpMethod.POST, path,
                Map.of("content-type", contentType, "x-grpc-web", "1"), body);
    }

    record Frame(int flags, byte[] payload) {
        @Override
        public String toString() {
            return "Frame[" + flags + ", " + payload.length + " bytes]";
        }
    }

    static Buffer frame(int flags, byte[] payload) {
        return Buffer.buffer().appendByte((byte) flags).appendInt(payload.length).appendBytes(payload);
    }

    static List<Frame> frames(Buffer body) {
        List<Frame> out = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            int length = body.getInt(i + 1);
            out.add(new Frame(body.getUnsignedByte(i), body.getBytes(i + 5, i + 5 + length)));
            i += 5 + length;
        }
        return out;
    }

    static Map<String, String> trailers(Frame f) {
        assertEquals(0x80, f.flags());
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(f.payload(), StandardCharsets.US_ASCII).split("\r\n")) {
            int colon = line.indexOf(':');
            out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return out;
    }

    /** Decodes base64 written as several padded pieces. */
    private static Buffer decodeChunks(String text) {
        Buffer out = Buffer.buffer();
        for (int i = 0; i < text.length(); i += 4) {
            out.appendBytes(Base64.getDecoder().decode(text.substring(i, i + 4)));
        }
        return out;
    }

    private static String pad(String b64) {
        return b64 + "==".substring(0, (4 - b64.length() % 4) % 4);
    }
}
