package dev.tandem.protocol.rest;

import dev.tandem.protocol.http.Compression;
import dev.tandem.rpc.GrpcTimeout;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.QueryString;
import dev.tandem.transcoding.RequestBinder;
import dev.tandem.transcoding.RequestPath;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.RouteTable;
import dev.tandem.transcoding.TranscodingException;
import dev.tandem.transcoding.TranscodingOptions;
import com.google.protobuf.Message;
import dev.tandem.rpc.RpcRegistry;
import io.grpc.Metadata;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status.Code;
import io.grpc.StatusException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Serves one REST request: route, read the body, bind the request message, call the RPC through
 * the in-process channel, and write its response or its {@code google.rpc.Status} as JSON.
 *
 * <p>Per request only matching and conversion happen; everything else was compiled at start-up.
 * Requests whose content type is {@code application/grpc*}, and paths that no rule of any method
 * matches, pass to the next route. A path that only other methods' rules match is 405 with {@code
 * Allow}. A body is read only for rules that take one: up to {@link
 * TranscodingOptions#maxBodyBytes()} (else 413), and only as JSON (else 415), except that a {@code
 * google.api.HttpBody} body (decided at start-up, {@link dev.tandem.transcoding.HttpBodies}) is passed
 * as its bytes with its {@code Content-Type}, refused with 415 when its RPC declares other media types. Every error is a
 * {@code google.rpc.Status} JSON with the HTTP status of its code ({@code HttpStatusMapping}). The RPC
 * runs as a {@link RestServerCall} of the registered method ({@link RpcRegistry}), behind the same
 * interceptors as on every other protocol; a client that goes away cancels it.
 */
final class TranscodingHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(TranscodingHandler.class);

    /** The Vert.x context local Quarkus's HTTP metrics read the route template from. */
    static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final RouteTable table;
    private final RequestBinder binder;
    private final JsonCodec json;
    private final RpcRegistry registry;
    private final TranscodingOptions options;
    private final ForwardedHeaders headers;
    private final long gzipMinSize;

    /** @param gzipMinSize whole response bodies larger than this are gzipped if the client accepts it; -1: never */
    TranscodingHandler(RouteTable table, RequestBinder binder, JsonCodec json, RpcRegistry registry,
            TranscodingOptions options, ForwardedHeaders headers, long gzipMinSize) {
        this.gzipMinSize = gzipMinSize;
        this.table = table;
        this.binder = binder;
        this.json = json;
        this.registry = registry;
        this.options = options;
        this.headers = headers;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String contentType = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.regionMatches(true, 0, "application/grpc", 0, 16)) {
            ctx.next();
            return;
        }
        RequestPath path = RequestPath.parse(req.path());
        if (path == null || !table.mayMatch(path)) { // e.g. /q/health: no rule starts there
            ctx.next();
            return;
        }
        JsonResponses.gzipMinSize(ctx, gzipMinSize);
        RouteTable.Match match = null;
        try {
            String method = req.method().name();
            // RFC 9110 9.3.2: HEAD is GET without the content, on every GET route
            match = table.match(method.equals("HEAD") ? "GET" : method, path);
            if (match == null) {
                Set<String> allowed = table.allowedMethods(path);
                if (allowed.isEmpty()) {
                    ctx.next();
                    return;
                }
                ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
                throw TranscodingException.of(Code.UNIMPLEMENTED,
                        "method " + method + " is not allowed on " + req.path() + "; allowed: "
                                + String.join(", ", allowed)).withHttpStatus(405);
            }
            // Micrometer's http_server_requests labels the request with its route, not its ids
            Vertx.currentContext().putLocal(URL_PATH_TEMPLATE, match.route().template().text());
            readBody(ctx, match);
        } catch (TranscodingException e) {
            sendError(ctx, match, e);
        } catch (RuntimeException e) {
            LOG.error("REST transcoding failed", e);
            sendError(ctx, match, TranscodingException.of(Code.INTERNAL, "internal error"));
        }
    }

    /**
     * The last route of the router: nothing served the request.
     *
     * @param ctx the request
     */
    void notFound(RoutingContext ctx) {
        sendError(ctx, TranscodingException.of(Code.NOT_FOUND, "no route for " + ctx.request().method().name()
                + " " + ctx.request().path()));
    }

    private void readBody(RoutingContext ctx, RouteTable.Match match) {
        HttpServerRequest req = ctx.request();
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean hasBody = length != null ? !length.equals("0") : req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        Route route = match.route();
        if (route.httpBody().request()) {
            checkHttpBodyType(route, req.getHeader(HttpHeaders.CONTENT_TYPE));
        }
        if (!hasBody) {
            dispatch(ctx, match, null);
            return;
        }
        if (route.body() == Route.Body.NONE && options.rejectBodyWithoutRule()) {
            throw TranscodingException.of(Code.INVALID_ARGUMENT,
                    route.httpMethod() + " " + route.template() + " takes no request body");
        }
        if (options.requireJsonContentType() && !route.httpBody().request()) {
            checkJson(req.getHeader(HttpHeaders.CONTENT_TYPE));
        }
        boolean gzipped = gzipped(ctx);
        long max = options.maxBodyBytes();
        if (length != null && parseLength(length) > max) {
            throw tooLarge(max);
        }
        if (ctx.body() != null && ctx.body().available()) {
            Buffer b = ctx.body().buffer();
            dispatch(ctx, match, b == null ? null : gzipped ? inflate(b, max) : b);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        req.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                failed[0] = true;
                sendError(ctx, match, tooLarge(max));
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> failed[0] = true);
        req.endHandler(v -> {
            if (!failed[0]) {
                try {
                    dispatch(ctx, match, gzipped ? inflate(body, max) : body);
                } catch (TranscodingException e) {
                    sendError(ctx, match, e);
                }
            }
        });
        req.resume();
    }

    /**
     * RFC 9110 section 8.4: a request body may be {@code Content-Encoding: gzip} (or {@code
     * identity}); any other coding is 415 with {@code Accept-Encoding} saying what is accepted
     * (section 15.5.16).
     *
     * @return whether the body is gzipped
     */
    private static boolean gzipped(RoutingContext ctx) {
        String coding = ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        if (coding == null || coding.isBlank() || coding.trim().equalsIgnoreCase("identity")) {
            return false;
        }
        if (coding.trim().equalsIgnoreCase(JsonResponses.GZIP)) {
            return true;
        }
        ctx.response().putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip, identity");
        throw TranscodingException.of(Code.INVALID_ARGUMENT, "unsupported content coding \"" + coding.trim()
                + "\"; send gzip or identity").withHttpStatus(415);
    }

    /** Inflates a gzip body; the size limit applies to the inflated size (a zip bomb is 413). */
    private static Buffer inflate(Buffer body, long max) {
        try {
            return Buffer.buffer(Compression.inflate(JsonResponses.GZIP, body.getBytes(), (int) Math.min(max, Integer.MAX_VALUE - 8)));
        } catch (StatusException e) {
            if (e.getStatus().getCode() == Code.RESOURCE_EXHAUSTED) {
                throw tooLarge(max);
            }
            throw TranscodingException.invalidArgument("body", "the request body is not valid gzip data");
        }
    }

    /** Decodes a body as UTF-8, refusing malformed bytes rather than replacing them with U+FFFD. */
    private static String utf8(Buffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(body.getByteBuf().nioBuffer())
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw TranscodingException.invalidArgument("body", "the request body is not valid UTF-8");
        }
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw TranscodingException.of(Code.INVALID_ARGUMENT, "invalid Content-Length");
        }
    }

    private static void checkJson(String contentType) {
        if (contentType == null) {
            return; // curl -d without -H; JSON is the only body this facade reads
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(JsonResponses.JSON) && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw TranscodingException.of(Code.INVALID_ARGUMENT,
                    "unsupported content type \"" + media + "\"; send application/json").withHttpStatus(415);
        }
    }

    /**
     * A {@code google.api.HttpBody} request body may have only the media types its RPC declares
     * ({@code (tandem.api.http_body).request_content_types}; any when it declares none): else 415
     * (RFC 9110 section 15.5.16) with {@code INVALID_ARGUMENT}, before the body is read. A missing
     * {@code Content-Type} is refused too when types are declared.
     */
    private static void checkHttpBodyType(Route route, String contentType) {
        if (!route.httpBody().accepts(contentType)) {
            String media = dev.tandem.transcoding.HttpBodies.mediaType(contentType);
            throw TranscodingException.of(Code.INVALID_ARGUMENT, (media == null ? "no content type"
                    : "unsupported content type \"" + media + "\"") + "; send "
                    + String.join(" or ", route.httpBody().requestMediaTypes())).withHttpStatus(415);
        }
    }

    private static TranscodingException tooLarge(long max) {
        return TranscodingException.of(Code.RESOURCE_EXHAUSTED,
                "request body is larger than " + max + " bytes").withHttpStatus(413);
    }

    @SuppressWarnings("unchecked")
    private void dispatch(RoutingContext ctx, RouteTable.Match match, Buffer body) {
        HttpServerRequest req = ctx.request();
        Message request = match.route().httpBody().request()
                ? binder.bindHttpBody(match, queryParameters(ctx), body == null ? new byte[0] : body.getBytes(),
                        req.getHeader(HttpHeaders.CONTENT_TYPE))
                : binder.bind(match, queryParameters(ctx), body == null ? null : utf8(body));
        Metadata metadata = headers.requestMetadata(req.headers());
        long timeout = -1;
        String grpcTimeout = req.getHeader("grpc-timeout");
        if (grpcTimeout != null) {
            try {
                timeout = GrpcTimeout.parseNanos(grpcTimeout);
            } catch (IllegalArgumentException e) {
                throw TranscodingException.invalidArgument("Grpc-Timeout", e.getMessage());
            }
        }
        Route route = match.route();
        ServerMethodDefinition<Message, Message> method =
                (ServerMethodDefinition<Message, Message>) registry.method(route.rpc().grpc().getFullMethodName());
        if (method == null) {
            throw TranscodingException.of(Code.UNIMPLEMENTED, "no service serves " + route.rpc().fullName());
        }
        new RestServerCall(ctx, route, json, request).start(method.getServerCallHandler(), metadata, timeout);
    }

    private static Map<String, List<String>> queryParameters(RoutingContext ctx) {
        return QueryString.parse(ctx.request().query());
    }

    private void sendError(RoutingContext ctx, TranscodingException e) {
        JsonResponses.sendError(ctx, json, e);
    }

    /** A failure after routing: the route's declared error form, if it has one. */
    private void sendError(RoutingContext ctx, RouteTable.Match match, TranscodingException e) {
        if (match != null && match.route().response().hasErrorOverride()) {
            JsonResponses.sendDeclaredError(ctx, match.route().response());
        } else {
            sendError(ctx, e);
        }
    }
}
