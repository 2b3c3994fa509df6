package dev.tandem.protocol.rest;

import io.grpc.Metadata;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which HTTP headers travel between a REST call and its RPC, as grpc-gateway does it: allow-listed
 * request headers and every {@code Grpc-Metadata-<key>} header become request metadata; response
 * headers and trailers of the RPC come back as {@code Grpc-Metadata-<key>} headers, and an {@code
 * etag} (AIP-154) also as the HTTP {@code ETag} header, a {@code www-authenticate} (an RFC 6750
 * challenge of a call refused {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}) also as the HTTP
 * {@code WWW-Authenticate} header.
 */
final class ForwardedHeaders {

    static final String PREFIX = "grpc-metadata-";

    /** Response metadata that is also sent as the HTTP header of the same name. */
    static final String ETAG = "etag";

    /** Response metadata that is also sent as the HTTP header of the same name (RFC 6750, section 3). */
    static final String WWW_AUTHENTICATE = "www-authenticate";

    private final Set<String> allowed;

    private ForwardedHeaders(Set<String> allowed) {
        this.allowed = allowed;
    }

    /**
     * @param names allow-listed header names, any case
     * @return the forwarding rules
     */
    static ForwardedHeaders of(List<String> names) {
        Set<String> lower = new HashSet<>();
        for (String n : names) {
            lower.add(n.trim().toLowerCase(Locale.ROOT));
        }
        return new ForwardedHeaders(Set.copyOf(lower));
    }

    /**
     * @param http the request headers
     * @return the metadata for the RPC: text headers only ({@code -bin} keys are skipped, since HTTP
     *     carries no binary values here)
     */
    Metadata requestMetadata(MultiMap http) {
        Metadata md = new Metadata();
        for (Map.Entry<String, String> h : http) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String key;
            if (name.startsWith(PREFIX)) {
                key = name.substring(PREFIX.length());
            } else if (allowed.contains(name)) {
                key = name;
            } else {
                continue;
            }
            if (!key.isEmpty() && !key.endsWith(Metadata.BINARY_HEADER_SUFFIX) && !key.startsWith("grpc-")) {
                md.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), h.getValue());
            }
        }
        return md;
    }

    /**
     * Copies RPC metadata to the HTTP response as {@code Grpc-Metadata-<key>} headers, except
     * binary ({@code -bin}) and reserved ({@code grpc-*}) keys.
     *
     * @param md response headers or trailers of the RPC; may be {@code null}
     * @param http the HTTP response headers
     */
    static void copyResponseMetadata(Metadata md, MultiMap http) {
        if (md == null) {
            return;
        }
        for (String key : md.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) || key.startsWith("grpc-")
                    || key.equals("content-type")) {
                continue;
            }
            Iterable<String> values = md.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
            if (values != null) {
                for (String v : values) {
                    http.add("Grpc-Metadata-" + key, v);
                    if (key.equals(ETAG)) {
                        http.set(HttpHeaders.ETAG, v); // AIP-154: the resource's etag, for If-Match
                    } else if (key.equals(WWW_AUTHENTICATE)) {
                        http.set("WWW-Authenticate", v); // RFC 6750: with every 401 (and 403)
                    }
                }
            }
        }
    }
}
