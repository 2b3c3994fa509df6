package dev.tandem.protocol.rest;

import com.google.protobuf.Message;
import dev.tandem.protocol.http.HttpServerCall;
import dev.tandem.rpc.RpcCalls;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.Route;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One transcoded REST call: the request message the binder made from path, query and body goes to
 * the RPC as its only message; the RPC's outcome is written as JSON.
 *
 * <p>Unary: 200 with the response JSON (or its {@code response_body} field), the RPC's response
 * headers and trailers as {@code Grpc-Metadata-*} headers ({@link ForwardedHeaders}); a failure is the
 * HTTP status of its code with its {@code google.rpc.Status} JSON ({@link JsonResponses}).
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
 */
final class RestServerCall extends HttpServerCall<Message, Message> {

    static final String NDJSON = "application/x-ndjson";
    static final String SSE = "text/event-stream";

    private final RoutingContext ctx;
    private final Route route;
    private final JsonCodec json;
    private final Message requestMessage;
    private final boolean streaming;
    private final boolean sse;
    private Metadata responseHeaders;
    private String body;
    private boolean started;

    @SuppressWarnings("unchecked")
    RestServerCall(RoutingContext ctx, Route route, JsonCodec json, Message requestMessage) {
        super(ctx.request(), (MethodDescriptor<Message, Message>) route.rpc().grpc(), RpcCalls.REST);
        this.ctx = ctx;
        this.route = route;
        this.json = json;
        this.requestMessage = requestMessage;
        this.streaming = route.rpc().proto().isServerStreaming();
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        this.sse = streaming && accept != null && accept.contains(SSE);
    }

    @Override
    protected void startReading() {
        enqueue(requestMessage);
        endOfInput();
    }

    @Override
    protected Object encode(Message message) {
        return json.printResponse(message, route.responseBodyField());
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        responseHeaders = headers;
    }

    @Override
    protected void writeMessage(Object encoded) {
        String item = (String) encoded;
        if (!streaming) {
            body = item;
            return;
        }
        HttpServerResponse response = ctx.response();
        startStream();
        response.write(sse ? "data: " + item + "\n\n" : "{\"result\":" + item + "}\n");
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        if (streaming && started) {
            if (!status.isOk()) {
                String error = json.print(io.grpc.protobuf.StatusProto.fromStatusAndTrailers(status, trailers));
                response.write(sse ? "event: error\ndata: " + error + "\n\n" : "{\"error\":" + error + "}\n");
            }
            return response.end();
        }
        if (status.isOk() && (streaming || body != null)) {
            if (streaming) {
                startStream(); // an empty stream
                return response.end();
            }
            ForwardedHeaders.copyResponseMetadata(responseHeaders, response.headers());
            ForwardedHeaders.copyResponseMetadata(trailers, response.headers());
            return JsonResponses.send(ctx, 200, body);
        }
        Status failure = status.isOk() ? Status.INTERNAL.withDescription("the RPC returned no response") : status;
        return JsonResponses.sendRpcFailure(ctx, json, failure, responseHeaders, trailers);
    }

    private void startStream() {
        if (started) {
            return;
        }
        started = true;
        HttpServerResponse response = ctx.response();
        ForwardedHeaders.copyResponseMetadata(responseHeaders, response.headers());
        response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, sse ? SSE : NDJSON);
        if (sse) {
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
    }
}
