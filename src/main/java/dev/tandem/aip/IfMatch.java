package dev.tandem.aip;

import io.grpc.Context;
import java.util.OptionalLong;

/**
 * The {@code if-match} precondition of the current call (HTTP {@code If-Match}, RFC 9110 section
 * 13.1.1, forwarded by the REST facade as metadata; gRPC clients may send the metadata directly).
 * Set by {@link EtagInterceptor}; read by the services' conditional writes through {@link
 * Etags#check}.
 */
public final class IfMatch {

    static final Context.Key<String> CONTEXT_KEY = Context.key("tandem-if-match");

    private IfMatch() {
    }

    /** @return the current call's {@code if-match} value, or {@code null} when none was sent */
    public static String current() {
        return CONTEXT_KEY.get();
    }

    /**
     * Whether an {@code If-Match} value admits a resource at {@code version}: {@code *} admits any
     * existing resource; otherwise a comma-separated list of entity tags, any of which names {@code
     * version} (see {@link Etags#version}). Malformed tags match nothing.
     *
     * @param header the header value
     * @param version the resource's current version
     * @return whether the precondition holds
     */
    public static boolean matches(String header, long version) {
        if (header.strip().equals("*")) {
            return true;
        }
        for (String tag : header.split(",")) {
            OptionalLong v = Etags.version(tag);
            if (v.isPresent() && v.getAsLong() == version) {
                return true;
            }
        }
        return false;
    }
}
