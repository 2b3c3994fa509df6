package dev.tandem.protocol.connect;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors;
import dev.tandem.limits.LimitsConfig;
import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.rpc.RpcRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Serves the Connect protocol (connectrpc.com/docs/protocol) on the shared HTTP port, over HTTP/1.1
 * and HTTP/2, for the {@link RpcRegistry} method named by the path, {@code
 * /<package>.<Service>/<Method>}:
 *
 * <ul>
 *   <li>unary {@code POST} with {@code application/json} or {@code application/proto}, optionally
 *       {@code Content-Encoding: gzip}, as a {@link ConnectUnaryCall};</li>
 *   <li>unary {@code GET} for methods declared {@code option idempotency_level = NO_SIDE_EFFECTS}:
 *       query {@code message} (URL-encoded, or base64 with {@code base64=1}), {@code encoding}
 *       ({@code json} or {@code proto}), optional {@code compression} and {@code connect=v1};</li>
 *   <li>streaming {@code POST} with {@code application/connect+json} or {@code application/connect+proto}
 *       as a {@link ConnectStreamCall}.</li>
 * </ul>
 *
 * {@code Connect-Timeout-Ms} (at most 10 digits, milliseconds) sets the call's deadline. Requests
 * whose path names no served method, and {@code POST}s of other content types (gRPC, gRPC-Web, the
 * REST facade's JSON on its own paths), pass on to the next route. Refused before any RPC runs, with
 * Connect's JSON error: a codec Tandem does not speak, or a streaming content type for a unary
 * method or the other way round (415); a {@code GET} of a method with side effects (405, {@code
 * Allow: POST}); a malformed timeout, {@code GET} query or protocol version (400); an unsupported
 * compression (501 {@code unimplemented}).
 */
@ApplicationScoped
public class ConnectEdge {

    /** After gRPC (-200) and gRPC-Web (-160), before the REST facade (-100). */
    static final int ROUTE_ORDER = -140;

    static final String JSON = "application/json";
    static final String PROTO = "application/proto";
    private static final String STREAM_JSON = "application/connect+json";
    private static final String STREAM_PROTO = "application/connect+proto";

    /** Request headers that are protocol, not metadata. */
    private static final Set<String> NOT_METADATA = Set.of("content-type", "content-encoding", "accept-encoding",
            "connect-protocol-version", "connect-timeout-ms", "connect-content-encoding", "connect-accept-encoding",
            "accept", "origin", "referer");

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
        HttpMethod verb = request.method();
        String path = request.path();
        if ((verb != HttpMethod.POST && verb != HttpMethod.GET) || path.length() < 4 || path.indexOf('/', 1) < 0) {
            ctx.next();
            return;
        }
        ServerMethodDefinition<?, ?> method = registry.method(path.substring(1));
        if (method == null) {
            ctx.next();
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (verb == HttpMethod.POST && media.startsWith("application/grpc")) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        String version = request.getHeader("connect-protocol-version");
        if (version != null && !version.equals("1")) {
            error(response, 400, Status.Code.INVALID_ARGUMENT, "unsupported connect-protocol-version \"" + version + "\"; send 1");
            return;
        }
        long timeout;
        try {
            timeout = timeoutNanos(request.getHeader("connect-timeout-ms"));
        } catch (IllegalArgumentException e) {
            error(response, 400, Status.Code.INVALID_ARGUMENT, e.getMessage());
            return;
        }
        boolean unary = method.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY;
        Metadata headers = HttpMetadata.fromHeaders(request.headers(), NOT_METADATA);
        if (verb == HttpMethod.GET) {
            get(request, response, method, unary, headers, timeout, maxMessageBytes);
            return;
        }
        boolean streamingType = media.equals(STREAM_JSON) || media.equals(STREAM_PROTO);
        if (!streamingType && !media.equals(JSON) && !media.equals(PROTO)) {
            response.putHeader("accept-post", unary ? JSON + ", " + PROTO : STREAM_JSON + ", " + STREAM_PROTO);
            error(response, 415, Status.Code.INVALID_ARGUMENT, "unsupported content type \"" + media + "\" for "
                    + method.getMethodDescriptor().getFullMethodName());
            return;
        }
        if (streamingType == unary) {
            response.putHeader("accept-post", unary ? JSON + ", " + PROTO : STREAM_JSON + ", " + STREAM_PROTO);
            error(response, 415, Status.Code.INVALID_ARGUMENT, (unary ? "a unary" : "a streaming") + " method needs "
                    + (unary ? JSON + " or " + PROTO : STREAM_JSON + " or " + STREAM_PROTO) + ", not " + media);
            return;
        }
        String encoding = encoding(request.getHeader(streamingType ? "connect-content-encoding" : "content-encoding"));
        if (!Compression.supported(encoding)) {
            response.putHeader(streamingType ? "connect-accept-encoding" : "accept-encoding", Compression.ACCEPTED);
            error(response, 501, Status.Code.UNIMPLEMENTED, "unsupported compression \"" + encoding + "\"; supported: "
                    + Compression.ACCEPTED);
            return;
        }
        if (streamingType) {
            startStream(method, request, media, media.equals(STREAM_JSON), encoding, maxMessageBytes, headers, timeout);
        } else {
            startUnary(method, request, media.equals(JSON), null, encoding, maxMessageBytes, headers, timeout);
        }
    }

    private void get(HttpServerRequest request, HttpServerResponse response, ServerMethodDefinition<?, ?> method,
            boolean unary, Metadata headers, long timeout, int maxMessageBytes) {
        if (!unary || !sideEffectFree(method.getMethodDescriptor())) {
            response.putHeader(HttpHeaders.ALLOW, "POST");
            error(response, 405, Status.Code.UNIMPLEMENTED, method.getMethodDescriptor().getFullMethodName()
                    + " has side effects (no idempotency_level = NO_SIDE_EFFECTS): call it with POST");
            return;
        }
        String connect = request.getParam("connect");
        if (connect != null && !connect.equals("v1")) {
            error(response, 400, Status.Code.INVALID_ARGUMENT, "unsupported connect=" + connect + "; send v1");
            return;
        }
        String codec = request.getParam("encoding");
        if (!"json".equals(codec) && !"proto".equals(codec)) {
            error(response, 415, Status.Code.INVALID_ARGUMENT, "a GET needs the query parameter encoding=json or encoding=proto");
            return;
        }
        String message = request.getParam("message");
        byte[] bytes;
        if (message == null) {
            bytes = new byte[0];
        } else if ("1".equals(request.getParam("base64"))) {
            try {
                bytes = Base64.getUrlDecoder().decode(message.replace('+', '-').replace('/', '_').replace("=", ""));
            } catch (IllegalArgumentException e) {
                error(response, 400, Status.Code.INVALID_ARGUMENT, "the message query parameter is not base64");
                return;
            }
        } else {
            bytes = message.getBytes(StandardCharsets.UTF_8);
        }
        String encoding = encoding(request.getParam("compression"));
        if (!Compression.supported(encoding)) {
            error(response, 501, Status.Code.UNIMPLEMENTED, "unsupported compression \"" + encoding + "\"; supported: "
                    + Compression.ACCEPTED);
            return;
        }
        startUnary(method, request, codec.equals("json"), bytes, encoding, maxMessageBytes, headers, timeout);
    }

    private static <Q, R> void startUnary(ServerMethodDefinition<Q, R> method, HttpServerRequest request, boolean json,
            byte[] queryMessage, String encoding, int maxMessageBytes, Metadata headers, long timeout) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        new ConnectUnaryCall<>(request, descriptor, new ConnectCodec<>(descriptor, json), queryMessage, encoding,
                maxMessageBytes).start(method.getServerCallHandler(), headers, timeout);
    }

    private static <Q, R> void startStream(ServerMethodDefinition<Q, R> method, HttpServerRequest request,
            String contentType, boolean json, String encoding, int maxMessageBytes, Metadata headers, long timeout) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        new ConnectStreamCall<>(request, descriptor, contentType, new ConnectCodec<>(descriptor, json), encoding,
                maxMessageBytes).start(method.getServerCallHandler(), headers, timeout);
    }

    /**
     * @param method a served method
     * @return whether its proto declares {@code option idempotency_level = NO_SIDE_EFFECTS} (grpc-java's
     *     generated descriptor calls such a method safe)
     */
    static boolean sideEffectFree(MethodDescriptor<?, ?> method) {
        if (method.isSafe()) {
            return true;
        }
        if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier s) {
            Descriptors.MethodDescriptor d = s.getMethodDescriptor();
            return d != null && d.getOptions().getIdempotencyLevel() == IdempotencyLevel.NO_SIDE_EFFECTS;
        }
        return false;
    }

    /**
     * @param header the {@code Connect-Timeout-Ms} value, or {@code null}
     * @return the deadline from now in nanoseconds, or -1 for none
     * @throws IllegalArgumentException when it is not 1 to 10 ASCII digits
     */
    static long timeoutNanos(String header) {
        if (header == null) {
            return -1;
        }
        if (header.isEmpty() || header.length() > 10 || !header.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid connect-timeout-ms \"" + header + "\": send 1 to 10 digits");
        }
        return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(header));
    }

    private static String encoding(String value) {
        return value == null || value.isEmpty() || value.equalsIgnoreCase("identity") ? null : value;
    }

    private static void error(HttpServerResponse response, int httpStatus, Status.Code code, String message) {
        response.setStatusCode(httpStatus).putHeader(HttpHeaders.CONTENT_TYPE, ConnectErrors.JSON)
                .end(io.vertx.core.buffer.Buffer.buffer(ConnectErrors.body(code, message)));
    }
}
