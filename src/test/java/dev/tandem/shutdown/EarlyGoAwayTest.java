package dev.tandem.shutdown;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first step of the two-step GOAWAY of RFC 9113, section 6.8, as {@link EarlyGoAway#announce}
 * sends it, seen frame by frame by a raw HTTP/2 client (frames written and read by hand over a
 * socket; Netty's HPACK coder for the header blocks) against a real Vert.x HTTP/2 server:
 *
 * <ol>
 *   <li>with a request held open on stream 1, the server sends GOAWAY(last stream id 2<sup>31</sup>-1,
 *       NO_ERROR) and then a PING, in that order;
 *   <li>until the client acknowledges that PING, {@code announce}'s future stays open, so Tandem's
 *       pre-shutdown (and with it Quarkus's second GOAWAY) waits;
 *   <li>a stream the client opens after the first GOAWAY, as a busy client does before it has read
 *       it, is still served (the first GOAWAY refuses nothing);
 *   <li>the client's PING ACK completes the future; the second GOAWAY, sent after it, names the last
 *       stream the client opened (3), and the held request on stream 1 still completes.
 * </ol>
 *
 * <p>Every wait is for a frame or a future; the socket's read timeout only bounds a silent server.
 */
class EarlyGoAwayTest {

    private Vertx vertx;
    private HttpServer server;
    private final CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> {
                    if (request.path().equals("/held")) {
                        held.complete(request);
                    } else {
                        request.response().end("served " + request.path());
                    }
                })
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theFirstGoAwayRefusesNothingAndShutdownWaitsForThePingAck() throws Exception {
        try (RawClient h2 = new RawClient(server.actualPort())) {
            h2.handshake();
            h2.get(1, "/held");
            HttpServerRequest heldRequest = held.get(30, TimeUnit.SECONDS);
            HttpConnection connection = heldRequest.connection();

            Future<Buffer> ack = EarlyGoAway.announce(connection);

            Frame goAway = h2.next(Http2FrameTypes.GO_AWAY, Http2FrameTypes.PING);
            assertEquals(Http2FrameTypes.GO_AWAY, goAway.type, "the GOAWAY comes before the PING");
            assertEquals(Integer.MAX_VALUE, goAway.payload.getInt(0) & 0x7fffffff, "last stream id 2^31-1");
            assertEquals(0, goAway.payload.getInt(4), "error code NO_ERROR");
            Frame ping = h2.next(Http2FrameTypes.PING);
            assertEquals(0, ping.flags & 0x1, "a PING, not an ACK");
            assertFalse(ack.isComplete(), "no ACK sent yet, so shutdown still waits");

            // a stream opened after the first GOAWAY (the client had not read it yet) is served
            h2.get(3, "/fast");
            Frame headers = h2.next(Http2FrameTypes.HEADERS);
            assertEquals(3, headers.stream);
            assertEquals("200", h2.decode(headers).status().toString());
            Frame data = h2.next(Http2FrameTypes.DATA);
            assertEquals("served /fast", StandardCharsets.UTF_8.decode(data.payload).toString());
            assertFalse(ack.isComplete(), "still no ACK");

            h2.pingAck(ping);
            Buffer echoed = ack.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertArrayEquals(Arrays.copyOf(ping.bytes(), 8), echoed.getBytes(), "completed by the ACK of that PING");

            // the second step (Quarkus's, after pre-shutdown) names the last stream that reached the server
            connection.goAway(0);
            Frame second = h2.next(Http2FrameTypes.GO_AWAY);
            assertEquals(3, second.payload.getInt(0) & 0x7fffffff);
            heldRequest.response().end("held");
            Frame heldHeaders = h2.next(Http2FrameTypes.HEADERS);
            assertEquals(1, heldHeaders.stream, "the call in flight on stream 1 completes after both GOAWAYs");
            assertEquals("200", h2.decode(heldHeaders).status().toString());
        }
    }

    /** One HTTP/2 frame: type, flags, stream id and payload. */
    private record Frame(int type, int flags, int stream, ByteBuffer payload) {
        byte[] bytes() {
            byte[] b = new byte[payload.remaining()];
            payload.duplicate().get(b);
            return b;
        }
    }

    /** A blocking HTTP/2 client over one socket, on the test thread. */
    private static final class RawClient implements AutoCloseable {

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final String authority;
        private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
        private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000); // bounds a silent server; every wait is for a frame
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            authority = "127.0.0.1:" + port;
        }

        /** Sends the preface and empty SETTINGS; acknowledges the server's SETTINGS. */
        void handshake() throws IOException {
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            write(Http2FrameTypes.SETTINGS, 0, 0, new byte[0]);
            Frame settings = next(Http2FrameTypes.SETTINGS);
            while ((settings.flags & 0x1) != 0) {
                settings = next(Http2FrameTypes.SETTINGS);
            }
            write(Http2FrameTypes.SETTINGS, 0x1, 0, new byte[0]); // ACK, RFC 9113 section 6.5.3
        }

        /** A GET on stream {@code id}: one HEADERS frame with END_HEADERS and END_STREAM. */
        void get(int id, String path) throws Exception {
            Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority(authority);
            ByteBuf block = Unpooled.buffer();
            encoder.encodeHeaders(id, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            block.release();
            write(Http2FrameTypes.HEADERS, 0x4 | 0x1, id, bytes);
        }

        void pingAck(Frame ping) throws IOException {
            write(Http2FrameTypes.PING, 0x1, 0, ping.bytes());
        }

        /** Decodes a HEADERS frame's header block, without its padding and priority fields (RFC 9113, 6.2). */
        Http2Headers decode(Frame headers) throws Exception {
            byte[] payload = headers.bytes();
            int from = 0;
            int padding = 0;
            if ((headers.flags & 0x8) != 0) { // PADDED
                padding = payload[0] & 0xff;
                from = 1;
            }
            if ((headers.flags & 0x20) != 0) { // PRIORITY
                from += 5;
            }
            ByteBuf block = Unpooled.wrappedBuffer(payload, from, payload.length - padding - from);
            try {
                return decoder.decodeHeaders(headers.stream, block);
            } finally {
                block.release();
            }
        }

        /** Reads frames, skipping others (SETTINGS ACK, WINDOW_UPDATE), until one of the given types. */
        Frame next(int... types) throws IOException {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                for (int t : types) {
                    if (t == type) {
                        return new Frame(type, flags, stream, ByteBuffer.wrap(payload));
                    }
                }
            }
        }

        private void write(int type, int flags, int stream, byte[] payload) throws IOException {
            out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags});
            out.write(ByteBuffer.allocate(4).putInt(stream).array());
            out.write(payload);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
