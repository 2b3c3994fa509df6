package dev.tandem.protocol.http;

import io.grpc.Status;
import io.grpc.StatusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Message compression of the gRPC family of protocols ({@code grpc-encoding}, Connect's {@code
 * Connect-Content-Encoding} / {@code Content-Encoding}): {@code gzip} and {@code deflate} (zlib), as
 * grpc-java and connect-go offer them, and {@code identity}.
 *
 * <p>The size limit applies to the <em>inflated</em> message: inflation stops, and the message is
 * refused {@code RESOURCE_EXHAUSTED}, as soon as it would exceed the limit, so a small compressed
 * message cannot inflate into a large allocation (a "zip bomb"). The JDK's {@code java.util.zip}
 * does the work.
 */
public final class Compression {

    /** What {@code grpc-accept-encoding} and Connect's {@code Accept-Encoding} advertise. */
    public static final String ACCEPTED = "gzip,deflate,identity";

    private Compression() {
    }

    /**
     * @param encoding an encoding name, any case; {@code null} or empty means identity
     * @return whether this class can decode it
     */
    public static boolean supported(String encoding) {
        if (encoding == null || encoding.isEmpty()) {
            return true;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        return e.equals("identity") || e.equals("gzip") || e.equals("deflate");
    }

    /**
     * @param encoding {@code gzip} or {@code deflate}
     * @param compressed the compressed message
     * @param maxBytes the largest inflated size accepted, in bytes
     * @return the inflated message
     * @throws StatusException {@code RESOURCE_EXHAUSTED} when it inflates to more than {@code maxBytes};
     *     {@code INVALID_ARGUMENT} when it is not valid data of that encoding; {@code UNIMPLEMENTED}
     *     for an encoding not {@link #supported}
     */
    public static byte[] inflate(String encoding, byte[] compressed, int maxBytes) throws StatusException {
        String e = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        try (InputStream in = switch (e) {
            case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(compressed));
            case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(compressed));
            default -> throw Status.UNIMPLEMENTED.withDescription("unsupported message encoding \"" + encoding
                    + "\"; supported: " + ACCEPTED).asException();
        }) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(64, compressed.length * 4)));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw Status.RESOURCE_EXHAUSTED.withDescription(
                            "the request message inflates to more than the limit of " + maxBytes + " bytes").asException();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException bad) {
            throw Status.INVALID_ARGUMENT.withDescription("the request message is not valid " + e + " data").asException();
        }
    }

    /**
     * @param message bytes to compress
     * @return them gzip-compressed
     */
    public static byte[] gzip(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(message);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory gzip failed", e);
        }
        return out.toByteArray();
    }

    /**
     * @param acceptEncoding a request's {@code Accept-Encoding}, or {@code null}
     * @return whether it accepts gzip: by name ({@code gzip}, {@code x-gzip}) or, when gzip is not
     *     named, by {@code *}, with a q-value above 0 (RFC 9110 section 12.5.3)
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = q;
            } else if (coding.equals("*")) {
                any = q;
            }
        }
        return gzip != null ? gzip > 0 : any != null && any > 0;
    }
}
