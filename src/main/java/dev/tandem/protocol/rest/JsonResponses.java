package dev.tandem.protocol.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.error.HttpStatusMapping;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.RouteResponse;
import dev.tandem.transcoding.TranscodingException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** Writes whole responses: a message as JSON (or an HttpBody's bytes), or a {@code google.rpc.Status} error. */
final class JsonResponses {

    static final String JSON = "application/json";

    static final String GZIP = "gzip";

    private static final String GZIP_MIN_SIZE = "tandem.gzip-min-size";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {}

    /**
     * @param ctx the request
     * @param minSize whole bodies larger than this many bytes are gzipped for clients that accept
     *     it ({@link ResponseCompression}); -1: never
     */
    static void gzipMinSize(RoutingContext ctx, long minSize) {
        ctx.put(GZIP_MIN_SIZE, minSize);
    }

    /**
     * @param ctx the request
     * @return what {@link #gzipMinSize(RoutingContext, long)} set, else -1
     */
    static long gzipMinSize(RoutingContext ctx) {
        Long min = ctx.get(GZIP_MIN_SIZE);
        return min == null ? -1 : min;
    }

    /**
     * Ends the response with a JSON body, unless it has already ended or the client went away. A body
     * over the request's gzip threshold gets {@code Vary: Accept-Encoding}, and is gzipped if the
     * client accepts it. For a {@code HEAD} request, the same status and headers with the body's
     * {@code Content-Length} and no body (RFC 9110 section 9.3.2).
     *
     * @param ctx the request
     * @param status HTTP status
     * @param body JSON text
     * @return the completion of the write
     */
    static Future<Void> send(RoutingContext ctx, int status, String body) {
        return send(ctx, status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ends the response with a body of any media type (a {@code google.api.HttpBody}'s bytes), as
     * {@link #send(RoutingContext, int, String)} does JSON: gzip over the threshold, HEAD without content.
     *
     * @param ctx the request
     * @param status HTTP status
     * @param contentType the {@code Content-Type} to send
     * @param bytes the body
     * @return the completion of the write
     */
    static Future<Void> send(RoutingContext ctx, int status, String contentType, byte[] bytes) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        long gzipMin = gzipMinSize(ctx);
        if (gzipMin >= 0 && bytes.length > gzipMin) {
            response.putHeader(HttpHeaders.VARY, "Accept-Encoding"); // RFC 9110 12.5.5
            if (ResponseCompression.acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
                response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP);
                bytes = ResponseCompression.gzip(bytes);
            }
        }
        if (ctx.request().method() == HttpMethod.HEAD) {
            // RFC 9110 9.3.2: the headers GET would send, Content-Length included, and no content
            return response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(bytes.length)).end();
        }
        return response.end(Buffer.buffer(bytes));
    }

    /**
     * Ends the response with the error's {@code google.rpc.Status} JSON and HTTP status.
     *
     * @param ctx the request
     * @param json the codec that prints the status
     * @param e the error
     */
    static void sendError(RoutingContext ctx, JsonCodec json, TranscodingException e) {
        send(ctx, e.httpStatus(), json.print(e.status()));
    }

    private static final Metadata.Key<String> WWW_AUTHENTICATE =
            Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * Ends the response with a route's declared failure ({@code (tandem.api.http_response).bindings}
     * {@code error_status} and {@code error_message}): that status and {@code {"error":"<message>"}},
     * as the original REST gateway answered every failure.
     *
     * @param ctx the request
     * @param route how the route answers; {@link RouteResponse#hasErrorOverride()} is true
     * @return the completion of the write
     */
    static Future<Void> sendDeclaredError(RoutingContext ctx, RouteResponse route) {
        return send(ctx, route.errorStatus(), MAPPER.createObjectNode().put("error", route.errorMessage()).toString());
    }

    /**
     * Ends the response with a failed RPC's {@code google.rpc.Status} JSON (details from the
     * {@code grpc-status-details-bin} trailer) and the HTTP status of its code, with the RPC's
     * response headers and trailers as {@code Grpc-Metadata-*} headers. {@code ABORTED} (a stale
     * etag, AIP-154) on a request with {@code If-Match} is 412 Precondition Failed; {@code
     * UNAUTHENTICATED} whose {@code www-authenticate} challenge says {@code error="invalid_request"} is
     * 400 (RFC 6750 section 3.1: a malformed request, e.g. two {@code Authorization} headers).
     *
     * @param ctx the request
     * @param json the codec that prints the status
     * @param status the RPC's status, not OK
     * @param headers the RPC's response headers, or {@code null}
     * @param trailers the RPC's trailers
     * @return the completion of the write
     */
    static Future<Void> sendRpcFailure(RoutingContext ctx, JsonCodec json, Status status, Metadata headers, Metadata trailers) {
        ForwardedHeaders.copyResponseMetadata(headers, ctx.response().headers());
        ForwardedHeaders.copyResponseMetadata(trailers, ctx.response().headers());
        int http = HttpStatusMapping.httpStatus(status.getCode());
        if (status.getCode() == Status.Code.ABORTED && ctx.request().headers().contains(HttpHeaders.IF_MATCH)) {
            // RFC 9110 13.1.1: a conditional request whose If-Match did not hold is 412, not 409
            http = 412;
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED && trailers != null) {
            String challenge = trailers.get(WWW_AUTHENTICATE);
            if (challenge != null && challenge.contains("error=\"invalid_request\"")) {
                http = 400; // RFC 6750 3.1
            }
        }
        return send(ctx, http, json.print(StatusProto.fromStatusAndTrailers(status, trailers)));
    }
}
