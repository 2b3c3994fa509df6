package dev.tandem.protocol.http;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * gRPC metadata to and from HTTP headers, per grpc/grpc doc/PROTOCOL-HTTP2.md: names are lower
 * case; a name ending in {@code -bin} carries binary data, base64-encoded on the wire (padding
 * optional on input, omitted on output, as grpc-java does); other values are ASCII text.
 */
public final class HttpMetadata {

    /** Connection-level and framing headers that are never metadata (RFC 9110, RFC 9113 8.2.2). */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "host", "content-length");

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private HttpMetadata() {
    }

    /**
     * @param headers request headers
     * @param skip further lower-case names that are not metadata (e.g. {@code content-type}, {@code
     *     grpc-timeout}); pseudo-headers and {@link #HOP_BY_HOP} are always skipped
     * @return the metadata; a {@code -bin} value that is not base64 is dropped
     */
    public static Metadata fromHeaders(MultiMap headers, Set<String> skip) {
        List<byte[]> namesAndValues = new ArrayList<>(headers.size() * 2);
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey();
            if (name.isEmpty() || name.charAt(0) == ':') {
                continue;
            }
            name = lower(name);
            if (HOP_BY_HOP.contains(name) || skip.contains(name)) {
                continue;
            }
            byte[] value;
            if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                try {
                    value = Base64.getDecoder().decode(pad(h.getValue().trim()));
                } catch (IllegalArgumentException notBase64) {
                    continue;
                }
            } else {
                value = h.getValue().getBytes(StandardCharsets.US_ASCII);
            }
            namesAndValues.add(name.getBytes(StandardCharsets.US_ASCII));
            namesAndValues.add(value);
        }
        return InternalMetadata.newMetadata(namesAndValues.size() / 2, namesAndValues.toArray(new byte[0][]));
    }

    /**
     * Adds metadata to HTTP headers (or trailers).
     *
     * @param md the metadata; {@code null} adds nothing
     * @param target where to add; binary values are base64-encoded
     * @param skip lower-case names not to copy
     */
    public static void toHeaders(Metadata md, MultiMap target, Set<String> skip) {
        if (md == null) {
            return;
        }
        byte[][] serialized = InternalMetadata.serialize(md);
        for (int i = 0; i + 1 < serialized.length; i += 2) {
            if (serialized[i] == null) {
                break;
            }
            String name = new String(serialized[i], StandardCharsets.US_ASCII);
            if (skip.contains(name)) {
                continue;
            }
            String value = name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                    ? ENCODER.encodeToString(serialized[i + 1])
                    : new String(serialized[i + 1], StandardCharsets.US_ASCII);
            target.add(name, value);
        }
    }

    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    private static String pad(String b64) {
        int rem = b64.length() % 4;
        return rem == 0 ? b64 : b64 + "==".substring(0, 4 - rem);
    }
}
