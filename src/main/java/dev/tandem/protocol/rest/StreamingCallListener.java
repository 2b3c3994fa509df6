package dev.tandem.protocol.rest;

import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.Route;
import com.google.protobuf.Message;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes a server-streaming RPC as a chunked HTTP response, one message at a time, under
 * back-pressure: the next message is {@linkplain ClientCall#request(int) requested} only once the
 * HTTP connection's write queue has room, so a slow client slows the RPC instead of making the
 * server buffer its whole result.
 *
 * <p>Formats:
 *
 * <ul>
 *   <li>default, {@code application/x-ndjson}: one line per message, {@code {"result":<message>}},
 *       and, if the RPC fails after the first message, a last line {@code {"error":<google.rpc.Status>}}
 *       (grpc-gateway's stream format);
 *   <li>{@code Accept: text/event-stream}: Server-Sent Events, {@code data: <message>} per message
 *       and a failure as {@code event: error} with {@code data: <google.rpc.Status>}.
 * </ul>
 *
 * <p>A failure before the first message is an ordinary error response with the HTTP status of its
 * code. {@code response_body} applies to each message.
 */
final class StreamingCallListener extends ClientCall.Listener<Message> {

    /** Messages requested ahead of the HTTP writes: bounds what is in flight, saves round trips. */
    static final int WINDOW = 16;

    static final String NDJSON = "application/x-ndjson";
    static final String SSE = "text/event-stream";

    private final RoutingContext ctx;
    private final Route route;
    private final JsonCodec json;
    private final boolean sse;
    private final Context vertxContext;
    private ClientCall<Message, Message> call;
    private Metadata responseHeaders;
    private boolean started;
    private int withheld;
    private volatile boolean closed;

    StreamingCallListener(RoutingContext ctx, Route route, JsonCodec json) {
        this.ctx = ctx;
        this.route = route;
        this.json = json;
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        this.sse = accept != null && accept.contains(SSE);
        this.vertxContext = Vertx.currentContext();
    }

    /**
     * Starts the flow: requests the first message. Call after {@link ClientCall#start}.
     *
     * @param call the call this listener listens to
     */
    void begin(ClientCall<Message, Message> call) {
        this.call = call;
        call.request(WINDOW);
    }

    /** @return whether the RPC has finished */
    boolean closed() {
        return closed;
    }

    @Override
    public void onHeaders(Metadata headers) {
        responseHeaders = headers;
    }

    @Override
    public void onMessage(Message message) {
        onContext(() -> {
            HttpServerResponse response = ctx.response();
            if (response.closed()) {
                return;
            }
            startIfNeeded();
            String item = json.printResponse(message, route.responseBodyField());
            response.write(sse ? "data: " + item + "\n\n" : "{\"result\":" + item + "}\n");
            if (!response.writeQueueFull()) {
                call.request(1);
            } else if (withheld++ == 0) {
                response.drainHandler(v -> {
                    int owed = withheld;
                    withheld = 0;
                    call.request(owed);
                });
            }
        });
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        closed = true;
        onContext(() -> {
            HttpServerResponse response = ctx.response();
            if (response.closed() || response.ended()) {
                return;
            }
            if (!started && !status.isOk()) {
                JsonResponses.sendRpcFailure(ctx, json, status, responseHeaders, trailers);
                return;
            }
            startIfNeeded();
            if (!status.isOk()) {
                String error = json.print(StatusProto.fromStatusAndTrailers(status, trailers));
                response.write(sse ? "event: error\ndata: " + error + "\n\n" : "{\"error\":" + error + "}\n");
            }
            response.end();
        });
    }

    private void startIfNeeded() {
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

    /**
     * Runs every callback on the request's context, always queued, never inline: callbacks arrive
     * in order but on different threads (a worker's, or the event loop's when a {@code request}
     * made there lets the next message through at once), and only a single queue keeps them in
     * order.
     */
    private void onContext(Runnable action) {
        if (vertxContext == null) {
            action.run();
        } else {
            vertxContext.runOnContext(v -> action.run());
        }
    }
}
