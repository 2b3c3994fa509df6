package dev.tandem.protocol.grpcweb;

import dev.tandem.limits.LimitsConfig;
import dev.tandem.protocol.grpc.GrpcStatusHeaders;
import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.rpc.GrpcTimeout;
import dev.tandem.rpc.RpcRegistry;
import io.grpc.Metadata;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;

/**
 * Serves gRPC-Web (grpc/grpc doc/PROTOCOL-WEB.md) on the shared HTTP port, over HTTP/1.1 and HTTP/2:
 * every {@code POST} whose {@code content-type} is {@code application/grpc-web}, {@code
 * application/grpc-web+proto}, {@code application/grpc-web-text} or {@code
 * application/grpc-web-text+proto} calls the {@link RpcRegistry} method named by its path, {@code
 * /<package>.<Service>/<Method>}, through a {@link GrpcWebServerCall}. Other requests pass on to the
 * next route (Connect, the REST facade, ...).
 *
 * <p>Refused before any RPC runs, each as a trailers-only response (status in the HTTP headers,
 * empty body) with HTTP 200, as gRPC-Web clients expect: an unknown method ({@code UNIMPLEMENTED}),
 * a malformed {@code grpc-timeout} ({@code INVALID_ARGUMENT}), a {@code grpc-encoding} Tandem cannot
 * decode ({@code UNIMPLEMENTED} with {@code grpc-accept-encoding}); a message codec other than proto
 * ({@code application/grpc-web+json}) is 415, a method other than {@code POST} 405.
 */
@ApplicationScoped
public class GrpcWebEdge {

    /** After gRPC ({@code GrpcEdge}, -200), before Connect (-140) and the REST facade (-100). */
    static final int ROUTE_ORDER = -160;

    /** Request headers that are protocol, not metadata (gRPC-Web clients add the x- ones). */
    private static final Set<String> NOT_METADATA = Set.of("content-type", "grpc-timeout", "grpc-encoding",
            "grpc-accept-encoding", "x-grpc-web", "x-user-agent", "accept", "origin", "referer");

    private static final String MEDIA = "application/grpc-web";

    @Inject
    RpcRegistry registry;

    @Inject
    LimitsConfig limits;

    void install(@Observes Router router) {
        int max = (int) Math.min(Integer.MAX_VALUE, limits.maxMessageSize().asLongValue());
        router.route().order(ROUTE_ORDER).handler(ctx -> handle(ctx, max));
    }

    private void handle(RoutingContext ctx, int maxMessageBytes) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isGrpcWeb(contentType)) {
            ctx.next();
            return;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean text = media.startsWith(MEDIA + "-text");
        String subtype = media.substring(text ? MEDIA.length() + 5 : MEDIA.length());
        HttpServerResponse response = ctx.response();
        String responseType = media; // the request's own media type, as gRPC-Web clients expect
        if (!subtype.isEmpty() && !subtype.equals("+proto")) {
            dev.tandem.protocol.http.HttpErrors.send(response, 415, Status.Code.INVALID_ARGUMENT,
                    "unsupported gRPC-Web codec \"" + media + "\"; send " + MEDIA + " or " + MEDIA + "+proto");
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.putHeader(HttpHeaders.ALLOW, "POST");
            trailersOnly(response, responseType, Status.UNIMPLEMENTED.withDescription("gRPC-Web calls are POST requests"), 405);
            return;
        }
        String path = request.path();
        ServerMethodDefinition<?, ?> method = path.length() > 1 ? registry.method(path.substring(1)) : null;
        if (method == null) {
            trailersOnly(response, responseType, Status.UNIMPLEMENTED.withDescription("Method not found: "
                    + (path.length() > 1 ? path.substring(1) : path)), 200);
            return;
        }
        long timeout = -1;
        String grpcTimeout = request.getHeader("grpc-timeout");
        if (grpcTimeout != null) {
            try {
                timeout = GrpcTimeout.parseNanos(grpcTimeout);
            } catch (IllegalArgumentException e) {
                trailersOnly(response, responseType, Status.INVALID_ARGUMENT.withDescription(
                        "invalid grpc-timeout \"" + grpcTimeout + "\": " + e.getMessage()), 200);
                return;
            }
        }
        String encoding = request.getHeader("grpc-encoding");
        if (encoding != null && (encoding.isEmpty() || encoding.equalsIgnoreCase("identity"))) {
            encoding = null;
        }
        if (!Compression.supported(encoding)) {
            response.putHeader("grpc-accept-encoding", Compression.ACCEPTED);
            trailersOnly(response, responseType, Status.UNIMPLEMENTED.withDescription(
                    "unsupported grpc-encoding \"" + encoding + "\"; supported: " + Compression.ACCEPTED), 200);
            return;
        }
        Metadata headers = HttpMetadata.fromHeaders(request.headers(), NOT_METADATA);
        start(method, request, responseType, text, encoding, maxMessageBytes, headers, timeout);
    }

    private static <Q, R> void start(ServerMethodDefinition<Q, R> method, HttpServerRequest request, String responseType,
            boolean text, String encoding, int maxMessageBytes, Metadata headers, long timeout) {
        new GrpcWebServerCall<>(request, method.getMethodDescriptor(), responseType, text, encoding, maxMessageBytes)
                .start(method.getServerCallHandler(), headers, timeout);
    }

    /**
     * @param contentType a request's content type, or {@code null}
     * @return whether it is gRPC-Web's: {@code application/grpc-web} or {@code
     *     application/grpc-web-text}, with or without a {@code +<codec>} suffix and parameters
     */
    static boolean isGrpcWeb(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, MEDIA, 0, MEDIA.length());
    }

    private static void trailersOnly(HttpServerResponse response, String contentType, Status status, int httpStatus) {
        response.setStatusCode(httpStatus);
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        GrpcStatusHeaders.write(status, new Metadata(), response.headers());
        response.end();
    }
}
