package dev.tandem.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import dev.tandem.RawHttp2;
import dev.tandem.RawHttp2.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The SERVER enforces {@code quarkus.http.limits.max-concurrent-streams} (100) on the shared port.
 * A raw HTTP/2 client (frames written and read by hand over a socket; Netty's HPACK coder for the
 * header blocks) acknowledges the server's SETTINGS but ignores its SETTINGS_MAX_CONCURRENT_STREAMS:
 * it opens {@code limit + 5} long-lived {@code grpc.health.v1.Health/Watch} streams at once on one
 * connection. Exactly {@code limit} are served (response HEADERS and the first message), the other
 * 5 are reset with REFUSED_STREAM (RFC 9113, section 5.1.2: a stream over the advertised limit is a
 * stream error of type PROTOCOL_ERROR or REFUSED_STREAM). When the client resets 5 served streams,
 * 5 new streams are served again: the limit counts open streams, not streams ever opened.
 *
 * <p>Every wait is for a frame from the server: a PING sent after a batch of frames is answered
 * only once the server has handled the batch, so its ACK is the point at which every refusal has
 * been sent. The socket's read timeout only bounds a server that stays silent. The request message
 * (DATA) goes only to accepted streams, as a DATA frame for a stream the server never opened is a
 * connection error (RFC 9113, section 5.1, state "idle").
 */
@QuarkusTest
class ConcurrentStreamsTest {

    private static final int EXTRA = 5;
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final String WATCH = "/grpc.health.v1.Health/Watch";
    /** An empty {@code HealthCheckRequest} in a gRPC length-prefixed message (not compressed, length 0). */
    private static final byte[] EMPTY_REQUEST = new byte[5];

    @ConfigProperty(name = "quarkus.http.limits.max-concurrent-streams")
    int limit;

    @Test
    void theServerRefusesStreamsOverTheLimitOfOneConnection() throws Exception {
        assertEquals(100, limit);
        try (RawClient h2 = new RawClient("localhost", RestAssured.port)) {
            assertEquals(limit, h2.handshake(), "the server advertises the limit in its SETTINGS");

            // every HEADERS at once, then a PING: its ACK comes after the server has handled them all
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < limit + EXTRA; i++) {
                first.add(h2.openWatch());
            }
            h2.pingAndAwaitAck();
            assertEquals(new TreeSet<>(first.subList(limit, limit + EXTRA)), new TreeSet<>(h2.refused),
                    "exactly the streams over the limit are refused, the last ones opened");

            // the accepted ones get their request message and are served
            List<Integer> accepted = first.subList(0, limit);
            accepted.forEach(h2::sendRequest);
            h2.readUntil(() -> h2.served.size() == limit);
            assertEquals(Set.copyOf(accepted), h2.served);
            assertEquals(EXTRA, h2.refused.size(), "refused: " + h2.refused);
            assertTrue(h2.ended.isEmpty(), "no served stream ended: " + h2.ended);

            // the client ends 5 served streams (RST_STREAM CANCEL); 5 new ones then fit under the limit
            accepted.subList(0, EXTRA).forEach(h2::cancel);
            List<Integer> second = new ArrayList<>();
            for (int i = 0; i < EXTRA; i++) {
                second.add(h2.openWatch());
            }
            h2.pingAndAwaitAck();
            assertEquals(EXTRA, h2.refused.size(), "new streams are accepted once others ended; refused: " + h2.refused);
            second.forEach(h2::sendRequest);
            h2.readUntil(() -> h2.served.containsAll(second));
            assertTrue(h2.ended.isEmpty(), "no served stream ended: " + h2.ended);
        }
    }

    /** A blocking HTTP/2 client over one socket, on the test thread; no flow control or limits of its own. */
    private static final class RawClient implements AutoCloseable {

        private final RawHttp2 h2;
        private int nextStream = 1;
        private long pings;
        private long pongs;
        /** Streams that got response HEADERS with :status 200 and then a DATA frame (the first status). */
        final Set<Integer> served = new LinkedHashSet<>();
        /** Streams the server reset with REFUSED_STREAM or PROTOCOL_ERROR. */
        final Set<Integer> refused = new LinkedHashSet<>();
        /** Streams the server ended (trailers or another reset): "stream=reason". */
        final List<String> ended = new ArrayList<>();
        private final Set<Integer> answered = new LinkedHashSet<>();

        RawClient(String host, int port) throws IOException {
            h2 = new RawHttp2(host, port, 60_000); // bounds a silent server; every wait below is for a frame
        }

        /** Sends the preface and empty SETTINGS, acknowledges the server's SETTINGS, returns its stream limit. */
        int handshake() throws IOException {
            h2.preface();
            while (true) {
                Frame f = read();
                if (f.type() == Http2FrameTypes.SETTINGS && (f.flags() & 0x1) == 0) {
                    frame(Http2FrameTypes.SETTINGS, 0x1, 0, new byte[0]); // ACK, as RFC 9113 6.5.3 requires
                    flush();
                    return setting(f.payload(), SETTINGS_MAX_CONCURRENT_STREAMS);
                }
            }
        }

        int openWatch() throws Http2Exception, IOException {
            int id = nextStream;
            nextStream += 2;
            Http2Headers headers = new DefaultHttp2Headers()
                    .method("POST").scheme("http").path(WATCH).authority(h2.authority())
                    .add("content-type", "application/grpc").add("te", "trailers");
            frame(Http2FrameTypes.HEADERS, 0x4, id, h2.encode(id, headers)); // END_HEADERS; the request message follows
            return id;
        }

        /**
         * The request message, which ends the client's side (END_STREAM). Sent only on streams the
         * server accepted: a DATA frame on a stream the server never opened is a connection error.
         */
        void sendRequest(int stream) {
            try {
                frame(Http2FrameTypes.DATA, 0x1, stream, EMPTY_REQUEST);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Sends a PING and reads frames until its ACK: the server has handled every earlier frame. */
        void pingAndAwaitAck() throws Exception {
            byte[] opaque = java.nio.ByteBuffer.allocate(8).putLong(++pings).array();
            frame(Http2FrameTypes.PING, 0, 0, opaque);
            flush();
            long before = pongs;
            readUntil(() -> pongs > before);
        }

        void cancel(int stream) {
            try {
                frame(Http2FrameTypes.RST_STREAM, 0, stream, int32(Http2Error.CANCEL.code()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void flush() throws IOException {
            h2.flush();
        }

        void readUntil(java.util.function.BooleanSupplier done) throws Exception {
            flush();
            while (!done.getAsBoolean()) {
                Frame f = read();
                switch (f.type()) {
                    case Http2FrameTypes.HEADERS -> {
                        if ((f.flags() & 0x4) == 0) {
                            fail("CONTINUATION frames are not expected for these small header blocks");
                        }
                        Http2Headers h = h2.decode(f);
                        if ((f.flags() & 0x1) != 0) {
                            ended.add(f.stream() + "=" + h.get("grpc-status") + " " + h.get("grpc-message"));
                        } else {
                            assertEquals("200", String.valueOf(h.status()), "stream " + f.stream());
                            answered.add(f.stream());
                        }
                    }
                    case Http2FrameTypes.DATA -> {
                        if (answered.contains(f.stream()) && f.payload().length > 0) {
                            served.add(f.stream());
                        }
                        if (f.payload().length > 0) { // give the window back, so the server never stalls
                            frame(Http2FrameTypes.WINDOW_UPDATE, 0, 0, int32(f.payload().length));
                            frame(Http2FrameTypes.WINDOW_UPDATE, 0, f.stream(), int32(f.payload().length));
                            flush();
                        }
                    }
                    case Http2FrameTypes.RST_STREAM -> {
                        long code = readInt(f.payload(), 0);
                        if (code == Http2Error.REFUSED_STREAM.code() || code == Http2Error.PROTOCOL_ERROR.code()) {
                            refused.add(f.stream());
                        } else {
                            ended.add(f.stream() + "=RST_STREAM " + code);
                        }
                    }
                    case Http2FrameTypes.PING -> {
                        if ((f.flags() & 0x1) == 0) {
                            frame(Http2FrameTypes.PING, 0x1, 0, f.payload());
                            flush();
                        } else if (java.nio.ByteBuffer.wrap(f.payload()).getLong() == pings) {
                            pongs = pings;
                        }
                    }
                    case Http2FrameTypes.GO_AWAY -> fail("the server closed the connection: GOAWAY error "
                            + readInt(f.payload(), 4) + " " + new String(f.payload(), 8, f.payload().length - 8, StandardCharsets.UTF_8));
                    default -> { } // SETTINGS ACK, WINDOW_UPDATE
                }
            }
        }

        private Frame read() throws IOException {
            return h2.read();
        }

        private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            h2.write(type, flags, stream, payload);
        }

        private static int setting(byte[] payload, int id) {
            for (int i = 0; i + 6 <= payload.length; i += 6) {
                if ((((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff)) == id) {
                    return (int) readInt(payload, i + 2);
                }
            }
            return -1;
        }

        private static long readInt(byte[] b, int at) {
            return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
        }

        private static byte[] int32(long v) {
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        @Override
        public void close() throws IOException {
            h2.close();
        }
    }
}
