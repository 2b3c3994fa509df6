package dev.tandem.protocol.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Cross-origin resource sharing for browsers calling the REST facade, gRPC-Web and Connect (Fetch
 * standard, "CORS protocol"), prefix {@code tandem.cors}; run time, settable by environment variable
 * ({@code TANDEM_CORS_ALLOWED_ORIGINS=https://app.example.com}).
 */
@ConfigMapping(prefix = "tandem.cors")
public interface CorsConfig {

    /**
     * @return the origins allowed to call from a browser, exact ({@code https://app.example.com}) or
     *     {@code *} for any; none (the default) serves no CORS at all, so browsers refuse cross-origin
     *     calls
     */
    Optional<List<String>> allowedOrigins();

    /** @return the methods a preflight allows */
    @WithDefault("GET,POST,PUT,PATCH,DELETE")
    List<String> allowedMethods();

    /**
     * @return the request headers a preflight allows: by default those gRPC-Web, Connect and the REST
     *     facade read
     */
    @WithDefault("content-type,authorization,x-grpc-web,x-user-agent,grpc-timeout,grpc-encoding,grpc-accept-encoding,"
            + "connect-protocol-version,connect-timeout-ms,connect-content-encoding,connect-accept-encoding,"
            + "content-encoding,accept-encoding,if-match,x-request-id")
    List<String> allowedHeaders();

    /** @return the response headers a page may read */
    @WithDefault("grpc-status,grpc-message,grpc-status-details-bin,etag,location,x-request-id,"
            + "grpc-encoding,grpc-accept-encoding,connect-content-encoding,connect-accept-encoding")
    List<String> exposedHeaders();

    /** @return how long a browser may cache a preflight's answer ({@code Access-Control-Max-Age}) */
    @WithDefault("1h")
    Duration maxAge();
}
