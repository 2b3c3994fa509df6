package dev.tandem.protocol.http;

import io.grpc.Status;
import io.vertx.core.buffer.Buffer;

/**
 * Splits a request body into length-prefixed frames, the framing shared by gRPC (grpc/grpc
 * doc/PROTOCOL-HTTP2.md, "Length-Prefixed-Message"), gRPC-Web and the Connect protocol's streaming
 * envelopes: one flags byte, a 4-byte big-endian length, then that many bytes. Chunks may split or
 * join frames arbitrarily.
 *
 * <p>A frame whose declared length is over {@code maxMessageBytes} is refused from its 5-byte prefix,
 * before its bytes are buffered: {@code RESOURCE_EXHAUSTED}. Not thread-safe: one request, one
 * thread (its event loop).
 */
public final class FrameReader {

    /** Receives each complete frame, or the reason the body cannot be read. */
    public interface Sink {
        /**
         * @param flags the frame's flags byte (bit 0: compressed; gRPC-Web 0x80: trailers; Connect
         *     0x02: end of stream)
         * @param payload the frame's bytes
         */
        void frame(int flags, byte[] payload);

        /** @param status why the body cannot be read; nothing more is delivered */
        void failed(Status status);
    }

    private final int maxMessageBytes;
    private final Sink sink;
    private final byte[] prefix = new byte[5];
    private int prefixFilled;
    private byte[] payload;
    private int payloadFilled;
    private boolean failed;

    /**
     * @param maxMessageBytes the largest frame payload accepted, in bytes
     * @param sink where frames go
     */
    public FrameReader(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** @param chunk the next bytes of the body */
    public void feed(Buffer chunk) {
        int i = 0;
        int n = chunk.length();
        while (i < n && !failed) {
            if (payload == null) {
                while (prefixFilled < 5 && i < n) {
                    prefix[prefixFilled++] = chunk.getByte(i++);
                }
                if (prefixFilled < 5) {
                    return;
                }
                long length = ((prefix[1] & 0xffL) << 24) | ((prefix[2] & 0xff) << 16) | ((prefix[3] & 0xff) << 8)
                        | (prefix[4] & 0xff);
                if (length > maxMessageBytes) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription(
                            "the request message is larger than the limit of " + maxMessageBytes + " bytes (" + length + ")"));
                    return;
                }
                payload = new byte[(int) length];
                payloadFilled = 0;
            }
            int take = Math.min(payload.length - payloadFilled, n - i);
            chunk.getBytes(i, i + take, payload, payloadFilled);
            payloadFilled += take;
            i += take;
            if (payloadFilled == payload.length) {
                byte[] done = payload;
                payload = null;
                prefixFilled = 0;
                sink.frame(prefix[0] & 0xff, done);
            }
        }
    }

    /** @return whether the body ended on a frame boundary (no partial frame is pending) */
    public boolean atBoundary() {
        return payload == null && prefixFilled == 0;
    }

    /** @return whether a failure was reported */
    public boolean failed() {
        return failed;
    }

    private void fail(Status status) {
        failed = true;
        sink.failed(status);
    }
}
