package dev.tandem.protocol.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Configuration of the REST facade, prefix {@code tandem.transcoding}; every property may be set
 * per profile ({@code %prod.tandem.transcoding.enabled=false}) or by environment variable ({@code
 * TANDEM_TRANSCODING_MAX_BODY_SIZE=4M}).
 */
@ConfigMapping(prefix = "tandem.transcoding")
public interface TranscodingConfig {

    /** @return serve the REST routes of the google.api.http rules at all */
    @WithDefault("true")
    boolean enabled();

    /**
     * @return reject, with 400, a query parameter that names no request field or one the path or
     *     body binds; {@code false} ignores it as grpc-gateway does
     */
    @WithDefault("true")
    boolean rejectUnknownQueryParameters();

    /** @return reject, with 400, a JSON body field the request message does not have */
    @WithDefault("true")
    boolean rejectUnknownJsonFields();

    /**
     * @return reject, with 400, a body sent to a route whose rule has none (every GET and DELETE);
     *     {@code false} ignores it
     */
    @WithDefault("true")
    boolean rejectBodyWithoutRule();

    /**
     * @return answer 415 to a body whose Content-Type is not JSON; {@code false} reads any body as
     *     JSON
     */
    @WithDefault("true")
    boolean requireJsonContentType();

    /**
     * @return the largest accepted request body, after inflating a {@code Content-Encoding: gzip}
     *     one; larger ones get 413
     */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * @return gzip responses for clients whose {@code Accept-Encoding} accepts it: whole bodies larger
     *     than {@link #gzipMinSize()}, and every stream
     */
    @WithDefault("true")
    boolean gzipResponses();

    /** @return whole response bodies up to this size are sent uncompressed */
    @WithDefault("1K")
    MemorySize gzipMinSize();

    /**
     * @return HTTP request headers forwarded to the RPC as gRPC metadata, case-insensitive; headers
     *     named {@code Grpc-Metadata-<key>} are always forwarded as {@code <key>}
     */
    @WithDefault("authorization,x-request-id,traceparent,tracestate,if-match")
    List<String> forwardedHeaders();
}
