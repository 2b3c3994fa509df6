package dev.tandem.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Tandem's own request limits, prefix {@code tandem.limits}; settable per profile or by environment
 * variable ({@code TANDEM_LIMITS_MAX_REQUEST_TIMEOUT=10s}). The transport limits are Quarkus's,
 * listed in {@code application.properties} under "Limits": {@code
 * quarkus.http.limits.*}.
 */
@ConfigMapping(prefix = "tandem.limits")
public interface LimitsConfig {

    /**
     * @return the longest a unary RPC may run, over gRPC and REST: a call whose client sets no
     *     deadline ({@code grpc-timeout}; REST {@code Grpc-Timeout}), or a later one, gets this one,
     *     and is answered {@code DEADLINE_EXCEEDED} (REST 504) when it passes. Positive.
     */
    @WithDefault("30s")
    Duration maxRequestTimeout();

    /**
     * @return the largest request message a client may send, in bytes, on every protocol: for gRPC,
     *     gRPC-Web and Connect the message's declared length and, when it is compressed, its inflated
     *     size; for REST the JSON body (after {@code Content-Encoding} is undone). Larger:
     *     {@code RESOURCE_EXHAUSTED} (REST 413). Default 1 MiB.
     */
    @WithDefault("1M")
    io.quarkus.runtime.configuration.MemorySize maxMessageSize();
}
