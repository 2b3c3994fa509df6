package dev.tandem.protocol.rest;

import com.google.protobuf.Message;
import dev.tandem.protocol.http.HttpServerCall;
import dev.tandem.rpc.RpcCalls;
import dev.tandem.transcoding.HttpBodies;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.JspbObjects;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.RouteResponse;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One transcoded REST call: the request message the binder made from path, query and body goes to
 * the RPC as its only message; the RPC's outcome is written as JSON.
 *
 * <p>Unary: the route's success status (200, or what {@code (tandem.api.http_response).status}
 * declares, e.g. 201) with the response JSON (or its {@code response_body} field, or its jspb object
 * form, {@link JspbObjects}), a {@code Location} header when the route declares one, the RPC's response
 * headers and trailers as {@code Grpc-Metadata-*} headers ({@link ForwardedHeaders}); a failure is the
 * HTTP status of its code with its {@code google.rpc.Status} JSON ({@link JsonResponses}), or the
 * route's own error status and {@code {"error": ...}} body where it declares one.
 *
 * <p>Server streaming, as a chunked response written one message at a time under the RPC's own flow
 * control ({@link #isReady()} follows the HTTP write queue):
 *
 * <ul>
 *   <li>default, {@value #NDJSON}: one line per message, {@code {"result":<message>}}, and, if the
 *       RPC fails after the first message, a last line {@code {"error":<google.rpc.Status>}}
 *       (grpc-gateway's stream format);</li>
 *   <li>{@code Accept: text/event-stream}: Server-Sent Events, {@code data: <message>} per message
 *       and a failure as {@code event: error} with {@code data: <google.rpc.Status>}.</li>
 * </ul>
 *
 * A failure before the first message is an ordinary error response. JSON is printed on the thread
 * that sends the message (a worker for blocking services).
 *
 * <p>A {@code google.api.HttpBody} response ({@link Route#httpBody()}, decided at start-up) is written
 * as its bytes, not JSON (google/api/httpbody.proto): unary, with the route's success status and the
 * message's {@code content_type} (or {@value HttpBodies#OCTET_STREAM}) as {@code Content-Type};
 * streaming, chunked, each message's {@code data} written as it arrives under the same flow control,
 * the {@code Content-Type} from the first message (an empty stream: the declared media type, or
 * {@value HttpBodies#OCTET_STREAM}). A failure after the first message cannot be written into such a
 * body: the response is reset (HTTP/1.1: the connection closes before the last chunk; HTTP/2:
 * {@code RST_STREAM}), so that a client never takes a cut file for a whole one.
 *
 * <p>{@code HEAD} (RFC 9110 section 9.3.2) answers the status and headers GET would, without content:
 * a unary call with its {@code Content-Length}; a stream once its first message (or its end) has
 * fixed them, after which the RPC is cancelled. Conditional GET (RFC 9110 section 13.1.2): a unary
 * success whose {@code ETag} (the response's AIP-154 etag) matches the request's {@code
 * If-None-Match} (weak comparison, or {@code *}) is {@code 304 Not Modified} with its {@code ETag} and
 * no content.
 */
final class RestServerCall extends HttpServerCall<Message, Message> {

    static final String NDJSON = "application/x-ndjson";
    static final String SSE = "text/event-stream";

    private final RoutingContext ctx;
    private final Route route;
    private final JsonCodec json;
    private final Message requestMessage;
    private final boolean streaming;
    private final boolean raw;
    private final boolean sse;
    private final boolean head;
    private final boolean conditional;
    private Metadata responseHeaders;
    private String body;
    private Raw rawBody;
    private String location;
    private ResponseCompression gzip;
    private boolean started;

    @SuppressWarnings("unchecked")
    RestServerCall(RoutingContext ctx, Route route, JsonCodec json, Message requestMessage) {
        super(ctx.request(), (MethodDescriptor<Message, Message>) route.rpc().grpc(), RpcCalls.REST);
        this.ctx = ctx;
        this.route = route;
        this.json = json;
        this.requestMessage = requestMessage;
        this.streaming = route.rpc().proto().isServerStreaming();
        this.raw = route.httpBody().response();
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        this.sse = streaming && !raw && accept != null && accept.contains(SSE);
        HttpMethod m = ctx.request().method();
        this.head = m == HttpMethod.HEAD;
        this.conditional = m == HttpMethod.GET || head;
    }

    @Override
    protected void startReading() {
        enqueue(requestMessage);
        endOfInput();
    }

    @Override
    protected Object encode(Message message) {
        if (raw) {
            return Raw.of(message);
        }
        RouteResponse r = route.response();
        String text = r.jspbType() != null
                ? JspbObjects.print(message, r.jspbType())
                : json.printResponse(message, route.responseBodyField());
        return streaming || r.location() == null ? text : new Encoded(text, r.location().render(message));
    }

    /** A unary response with its Location header, both made on the thread that encodes. */
    private record Encoded(String body, String location) {}

    /** A {@code google.api.HttpBody} response: its content type ({@code null} if empty) and bytes. */
    private record Raw(String contentType, byte[] data) {
        static Raw of(Message message) {
            com.google.api.HttpBody b;
            if (message instanceof com.google.api.HttpBody h) {
                b = h;
            } else {
                try {
                    b = com.google.api.HttpBody.parseFrom(message.toByteString());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException("not a google.api.HttpBody: " + message.getDescriptorForType(), e);
                }
            }
            return new Raw(b.getContentType().isEmpty() ? null : b.getContentType(), b.getData().toByteArray());
        }
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        responseHeaders = headers;
    }

    @Override
    protected void writeMessage(Object encoded) {
        if (encoded instanceof Raw r) {
            if (!streaming) {
                rawBody = r;
                return;
            }
            startStream(r.contentType() != null ? r.contentType() : declaredMediaType());
            if (head) {
                ctx.response().end();
                abandon();
                return;
            }
            if (r.data().length > 0) {
                write(r.data());
            }
            return;
        }
        if (encoded instanceof Encoded e) {
            body = e.body();
            location = e.location();
            return;
        }
        String item = (String) encoded;
        if (!streaming) {
            body = item;
            return;
        }
        HttpServerResponse response = ctx.response();
        startStream(sse ? SSE : NDJSON);
        if (head) {
            response.end();
            abandon(); // the status and headers are known; the messages would not be sent
            return;
        }
        write(sse ? "data: " + item + "\n\n" : "{\"result\":" + item + "}\n");
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        if (streaming && started) {
            if (!status.isOk() && raw) {
                response.reset(); // no error can be written into the bytes: the client must see a cut body
                return Future.succeededFuture();
            }
            if (!status.isOk()) {
                String error = json.print(io.grpc.protobuf.StatusProto.fromStatusAndTrailers(status, trailers));
                write(sse ? "event: error\ndata: " + error + "\n\n" : "{\"error\":" + error + "}\n");
            }
            return gzip == null ? response.end() : response.end(gzip.finish());
        }
        if (status.isOk() && (streaming || body != null || rawBody != null)) {
            if (streaming) {
                startStream(raw ? declaredMediaType() : sse ? SSE : NDJSON); // an empty stream
                return gzip == null || head ? response.end() : response.end(gzip.finish());
            }
            ForwardedHeaders.copyResponseMetadata(responseHeaders, response.headers());
            ForwardedHeaders.copyResponseMetadata(trailers, response.headers());
            if (location != null) {
                response.putHeader(HttpHeaders.LOCATION, location);
            }
            if (conditional && notModified(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH),
                    response.headers().get(HttpHeaders.ETAG))) {
                return response.setStatusCode(304).end();
            }
            if (rawBody != null) {
                return JsonResponses.send(ctx, route.response().successStatus(),
                        rawBody.contentType() != null ? rawBody.contentType() : declaredMediaType(), rawBody.data());
            }
            return JsonResponses.send(ctx, route.response().successStatus(), body);
        }
        Status failure = status.isOk() ? Status.INTERNAL.withDescription("the RPC returned no response") : status;
        if (route.response().hasErrorOverride()) {
            return JsonResponses.sendDeclaredError(ctx, route.response());
        }
        return JsonResponses.sendRpcFailure(ctx, json, failure, responseHeaders, trailers);
    }

    /**
     * RFC 9110 section 13.1.2: {@code If-None-Match} fails (the client's copy is current) when it is
     * {@code *} or lists an entity tag that weakly matches the response's.
     *
     * @param ifNoneMatch the request header, or {@code null}
     * @param etag the response's entity tag, e.g. {@code "3"}, or {@code null}
     * @return whether to answer 304 Not Modified
     */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String mine = opaque(etag);
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || opaque(t).equals(mine)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** The media type an HttpBody response declares ({@code (tandem.api.http_body)}), else octet-stream. */
    private String declaredMediaType() {
        String declared = route.httpBody().responseMediaType();
        return declared != null ? declared : HttpBodies.OCTET_STREAM;
    }

    /** Writes stream text, through gzip when the client accepts it, flushed per message. */
    private void write(String text) {
        write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes stream bytes, through gzip when the client accepts it, flushed per message. */
    private void write(byte[] bytes) {
        ctx.response().write(gzip == null ? io.vertx.core.buffer.Buffer.buffer(bytes) : gzip.chunk(bytes));
    }

    private void startStream(String contentType) {
        if (started) {
            return;
        }
        started = true;
        HttpServerResponse response = ctx.response();
        ForwardedHeaders.copyResponseMetadata(responseHeaders, response.headers());
        response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (JsonResponses.gzipMinSize(ctx) >= 0) {
            response.putHeader(HttpHeaders.VARY, "Accept-Encoding");
            if (ResponseCompression.acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
                response.putHeader(HttpHeaders.CONTENT_ENCODING, JsonResponses.GZIP);
                gzip = new ResponseCompression();
            }
        }
        if (sse) {
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
    }
}
