package dev.tandem.protocol.rest;

import dev.tandem.protocol.http.Compression;
import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip for REST responses (RFC 9110 section 8.4.1.3, RFC 1952), by the JDK's {@link Deflater}.
 *
 * <p>A response is compressed when the request's {@code Accept-Encoding} accepts {@code gzip} (by
 * name or {@code *}, with a q-value above 0, RFC 9110 section 12.5.3) and, for a whole body, when it
 * is larger than the threshold ({@code tandem.transcoding.gzip-min-size}); a stream is compressed
 * whatever its size, each message flushed ({@link Deflater#SYNC_FLUSH}) so the client can inflate it
 * at once. One instance compresses one response; not thread-safe.
 */
final class ResponseCompression {

    /** The gzip member header: magic, CM=deflate, no flags, no mtime, XFL 0, OS unknown (RFC 1952, 2.3). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[8192];
    private boolean started;

    /**
     * @param acceptEncoding the request's {@code Accept-Encoding}, or {@code null}
     * @return whether it accepts gzip ({@link Compression#acceptsGzip})
     */
    static boolean acceptsGzip(String acceptEncoding) {
        return Compression.acceptsGzip(acceptEncoding);
    }

    /**
     * @param body a whole response body
     * @return it as one gzip member
     */
    static byte[] gzip(byte[] body) {
        ResponseCompression c = new ResponseCompression();
        Buffer b = c.chunk(body);
        b.appendBuffer(c.finish());
        return b.getBytes();
    }

    /**
     * @param data the next bytes of the response
     * @return the compressed bytes to write now (the gzip header first), flushed so that they
     *     inflate to all of {@code data}
     */
    Buffer chunk(byte[] data) {
        Buffer b = Buffer.buffer(data.length / 2 + 32);
        if (!started) {
            started = true;
            b.appendBytes(HEADER);
        }
        crc.update(data);
        deflater.setInput(data);
        int n;
        do {
            n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            b.appendBytes(out, 0, n);
        } while (n == out.length);
        return b;
    }

    /** @return the last compressed bytes and the gzip trailer (CRC-32 and size); frees the deflater */
    Buffer finish() {
        Buffer b = Buffer.buffer(64);
        if (!started) {
            started = true;
            b.appendBytes(HEADER);
        }
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(out);
            b.appendBytes(out, 0, n);
        }
        b.appendIntLE((int) crc.getValue()).appendIntLE((int) deflater.getBytesRead());
        deflater.end();
        return b;
    }
}
