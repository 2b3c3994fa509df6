package dev.tandem.protocol.grpc;

import dev.tandem.limits.LimitsConfig;
import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.rpc.GrpcTimeout;
import dev.tandem.rpc.RpcRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Serves gRPC (grpc/grpc doc/PROTOCOL-HTTP2.md) on the shared HTTP port: every HTTP/2 {@code POST}
 * whose {@code content-type} is {@code application/grpc} or {@code application/grpc+<subtype>} calls
 * the {@link RpcRegistry} method named by its path, {@code /<package>.<Service>/<Method>}, through a
 * {@link GrpcServerCall}. Other requests pass on to the next route (gRPC-Web, Connect, the REST
 * facade, health, metrics).
 *
 * <p>Refused before any RPC runs, each as a trailers-only response with HTTP 200 as gRPC clients
 * expect: an unknown method ({@code UNIMPLEMENTED}), a malformed {@code grpc-timeout} ({@code
 * INVALID_ARGUMENT}), a {@code grpc-encoding} Tandem cannot decode ({@code UNIMPLEMENTED} with {@code
 * grpc-accept-encoding}, per the protocol's compression rules). A gRPC request over HTTP/1.x is
 * answered 505 with a {@code google.rpc.Status} (gRPC needs HTTP/2); one that is not a {@code POST}
 * is 405.
 */
@ApplicationScoped
public class GrpcEdge {

    /** Before the REST facade ({@code TranscodingRoutes}) and every application route. */
    static final int ROUTE_ORDER = -200;

    private static final Logger LOG = Logger.getLogger(GrpcEdge.class);

    /** Request headers that are protocol, not metadata. */
    private static final Set<String> NOT_METADATA = Set.of("content-type", "grpc-timeout", "grpc-encoding",
            "grpc-accept-encoding");

    @Inject
    RpcRegistry registry;

    @Inject
    LimitsConfig limits;

    void install(@Observes Router router) {
        int max = (int) Math.min(Integer.MAX_VALUE, limits.maxMessageSize().asLongValue());
        router.route().order(ROUTE_ORDER).handler(ctx -> handle(ctx, max));
        LOG.debugf("gRPC on the HTTP port: %d services", registry.services().size());
    }

    private void handle(RoutingContext ctx, int maxMessageBytes) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isGrpc(contentType)) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        if (request.version() != HttpVersion.HTTP_2) {
            dev.tandem.protocol.http.HttpErrors.send(response, 505,
                    io.grpc.Status.Code.UNIMPLEMENTED, "gRPC needs HTTP/2; this request came over " + request.version());
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.putHeader(HttpHeaders.ALLOW, "POST");
            trailersOnly(response, contentType, Status.UNIMPLEMENTED.withDescription("gRPC calls are POST requests"), 405);
            return;
        }
        String path = request.path();
        ServerMethodDefinition<?, ?> method = path.length() > 1 ? registry.method(path.substring(1)) : null;
        if (method == null) {
            trailersOnly(response, contentType, Status.UNIMPLEMENTED.withDescription("Method not found: "
                    + (path.length() > 1 ? path.substring(1) : path)), 200);
            return;
        }
        long timeout = -1;
        String grpcTimeout = request.getHeader("grpc-timeout");
        if (grpcTimeout != null) {
            try {
                timeout = GrpcTimeout.parseNanos(grpcTimeout);
            } catch (IllegalArgumentException e) {
                trailersOnly(response, contentType,
                        Status.INVALID_ARGUMENT.withDescription("invalid grpc-timeout \"" + grpcTimeout + "\": " + e.getMessage()), 200);
                return;
            }
        }
        String encoding = request.getHeader("grpc-encoding");
        if (encoding != null && (encoding.isEmpty() || encoding.equalsIgnoreCase("identity"))) {
            encoding = null;
        }
        if (!Compression.supported(encoding)) {
            response.putHeader("grpc-accept-encoding", Compression.ACCEPTED);
            trailersOnly(response, contentType, Status.UNIMPLEMENTED.withDescription(
                    "unsupported grpc-encoding \"" + encoding + "\"; supported: " + Compression.ACCEPTED), 200);
            return;
        }
        Metadata headers = HttpMetadata.fromHeaders(request.headers(), NOT_METADATA);
        start(method, request, contentType, encoding, maxMessageBytes, headers, timeout);
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> void start(ServerMethodDefinition<Q, R> method, HttpServerRequest request, String contentType,
            String encoding, int maxMessageBytes, Metadata headers, long timeout) {
        GrpcServerCall<Q, R> call = new GrpcServerCall<>(request, method.getMethodDescriptor(), contentType, encoding,
                maxMessageBytes);
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        call.start(handler, headers, timeout);
    }

    /**
     * @param contentType a request's content type, or {@code null}
     * @return whether it is gRPC's: {@code application/grpc} or {@code application/grpc+<subtype>}, not
     *     {@code application/grpc-web...}
     */
    static boolean isGrpc(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/grpc", 0, 16)) {
            return false;
        }
        if (contentType.length() == 16) {
            return true;
        }
        char c = contentType.charAt(16);
        return c == '+' || c == ';';
    }

    private static void trailersOnly(HttpServerResponse response, String contentType, Status status, int httpStatus) {
        response.setStatusCode(httpStatus);
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        GrpcStatusHeaders.write(status, new Metadata(), response.headers());
        response.end();
    }
}
