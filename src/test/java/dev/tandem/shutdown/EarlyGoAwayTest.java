package dev.tandem.shutdown;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tandem.RawHttp2;
import dev.tandem.RawHttp2.Frame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
            assertEquals(Http2FrameTypes.GO_AWAY, goAway.type(), "the GOAWAY comes before the PING");
            assertEquals(Integer.MAX_VALUE, ByteBuffer.wrap(goAway.payload()).getInt(0) & 0x7fffffff, "last stream id 2^31-1");
            assertEquals(0, ByteBuffer.wrap(goAway.payload()).getInt(4), "error code NO_ERROR");
            Frame ping = h2.next(Http2FrameTypes.PING);
            assertEquals(0, ping.flags() & RawHttp2.ACK, "a PING, not an ACK");
            assertFalse(ack.isComplete(), "no ACK sent yet, so shutdown still waits");

            // a stream opened after the first GOAWAY (the client had not read it yet) is served
            h2.get(3, "/fast");
            Frame headers = h2.next(Http2FrameTypes.HEADERS);
            assertEquals(3, headers.stream());
            assertEquals("200", h2.decode(headers).status().toString());
            Frame data = h2.next(Http2FrameTypes.DATA);
            assertEquals("served /fast", new String(data.payload(), StandardCharsets.UTF_8));
            assertFalse(ack.isComplete(), "still no ACK");

            h2.pingAck(ping);
            Buffer echoed = ack.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertArrayEquals(ping.payload(), echoed.getBytes(), "completed by the ACK of that PING");

            // the second step (Quarkus's, after pre-shutdown) names the last stream that reached the server
            connection.goAway(0);
            Frame second = h2.next(Http2FrameTypes.GO_AWAY);
            assertEquals(3, ByteBuffer.wrap(second.payload()).getInt(0) & 0x7fffffff);
            heldRequest.response().end("held");
            Frame heldHeaders = h2.next(Http2FrameTypes.HEADERS);
            assertEquals(1, heldHeaders.stream(), "the call in flight on stream 1 completes after both GOAWAYs");
            assertEquals("200", h2.decode(heldHeaders).status().toString());
        }
    }

    /** The test's side of the connection, on {@link RawHttp2}. */
    private static final class RawClient implements AutoCloseable {

        private final RawHttp2 h2;

        RawClient(int port) throws IOException {
            h2 = new RawHttp2("127.0.0.1", port, 30_000); // bounds a silent server; every wait is for a frame
        }

        /** Sends the preface and empty SETTINGS; acknowledges the server's SETTINGS. */
        void handshake() throws IOException {
            h2.preface();
            Frame settings = next(Http2FrameTypes.SETTINGS);
            while ((settings.flags() & RawHttp2.ACK) != 0) {
                settings = next(Http2FrameTypes.SETTINGS);
            }
            write(Http2FrameTypes.SETTINGS, RawHttp2.ACK, 0, new byte[0]); // RFC 9113 section 6.5.3
        }

        /** A GET on stream {@code id}: one HEADERS frame with END_HEADERS and END_STREAM. */
        void get(int id, String path) throws Exception {
            Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority(h2.authority());
            write(Http2FrameTypes.HEADERS, RawHttp2.END_HEADERS | RawHttp2.END_STREAM, id, h2.encode(id, headers));
        }

        void pingAck(Frame ping) throws IOException {
            write(Http2FrameTypes.PING, RawHttp2.ACK, 0, ping.payload());
        }

        Http2Headers decode(Frame headers) throws Exception {
            return h2.decode(headers);
        }

        /** Reads frames, skipping others (SETTINGS ACK, WINDOW_UPDATE), until one of the given types. */
        Frame next(int... types) throws IOException {
            while (true) {
                Frame f = h2.read();
                for (int t : types) {
                    if (t == f.type()) {
                        return f;
                    }
                }
            }
        }

        private void write(int type, int flags, int stream, byte[] payload) throws IOException {
            h2.write(type, flags, stream, payload);
            h2.flush();
        }

        @Override
        public void close() throws IOException {
            h2.close();
        }
    }
}
