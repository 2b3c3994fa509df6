package dev.tandem.protocol.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The status part of a gRPC response's trailers (or of a trailers-only response), per grpc/grpc
 * doc/PROTOCOL-HTTP2.md: {@code grpc-status} (the decimal code), {@code grpc-message} (the
 * description, percent-encoded: bytes outside 0x20..0x7E and {@code %} as {@code %XX} of their UTF-8
 * bytes), then the call's trailing metadata ({@code grpc-status-details-bin} with the {@code
 * google.rpc.Status}, {@code www-authenticate}, ...). Shared by gRPC and gRPC-Web.
 */
public final class GrpcStatusHeaders {

    /** Names the status itself sets; metadata of these names is not copied. */
    static final Set<String> RESERVED = Set.of("grpc-status", "grpc-message", "content-type", ":status");

    private GrpcStatusHeaders() {
    }

    /**
     * @param status the call's status
     * @param trailers its trailing metadata
     * @param target the trailers (or, trailers-only, the headers) to add to
     */
    public static void write(Status status, Metadata trailers, MultiMap target) {
        target.add("grpc-status", Integer.toString(status.getCode().value()));
        String description = status.getDescription();
        if (description != null && !description.isEmpty()) {
            target.add("grpc-message", percentEncode(description));
        }
        dev.tandem.protocol.http.HttpMetadata.toHeaders(trailers, target, RESERVED);
    }

    /**
     * @param text any text
     * @return it percent-encoded as {@code grpc-message} requires
     */
    static String percentEncode(String text) {
        boolean plain = true;
        for (int i = 0; i < text.length() && plain; i++) {
            char c = text.charAt(i);
            plain = c >= 0x20 && c <= 0x7e && c != '%';
        }
        if (plain) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
