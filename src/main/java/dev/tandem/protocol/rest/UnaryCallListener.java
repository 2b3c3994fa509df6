package dev.tandem.protocol.rest;

import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.TranscodingException;
import com.google.protobuf.Message;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * Collects the one response of a unary RPC and writes it, on the request's Vert.x context, as 200
 * with the response JSON (or its {@code response_body} field), or as the HTTP status of the RPC's
 * code with its {@code google.rpc.Status} JSON (details from {@code grpc-status-details-bin}).
 * Response headers and trailers come back as {@code Grpc-Metadata-*} headers.
 */
final class UnaryCallListener extends ClientCall.Listener<Message> {

    private static final Logger LOG = Logger.getLogger(UnaryCallListener.class);

    private final RoutingContext ctx;
    private final Route route;
    private final JsonCodec json;
    private final Context vertxContext;
    private Metadata responseHeaders;
    private Message response;
    private volatile boolean closed;

    UnaryCallListener(RoutingContext ctx, Route route, JsonCodec json) {
        this.ctx = ctx;
        this.route = route;
        this.json = json;
        this.vertxContext = Vertx.currentContext();
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
        response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        closed = true;
        if (vertxContext == null || Vertx.currentContext() == vertxContext) {
            write(status, trailers);
        } else {
            vertxContext.runOnContext(v -> write(status, trailers));
        }
    }

    private void write(Status status, Metadata trailers) {
        try {
            if (status.isOk() && response != null) {
                ForwardedHeaders.copyResponseMetadata(responseHeaders, ctx.response().headers());
                ForwardedHeaders.copyResponseMetadata(trailers, ctx.response().headers());
                JsonResponses.send(ctx, 200, json.printResponse(response, route.responseBodyField()));
                return;
            }
            Status failure = status.isOk() ? Status.INTERNAL.withDescription("the RPC returned no response") : status;
            JsonResponses.sendRpcFailure(ctx, json, failure, responseHeaders, trailers);
        } catch (RuntimeException e) {
            LOG.error("cannot write the REST response of " + route, e);
            JsonResponses.sendError(ctx, json, TranscodingException.of(Code.INTERNAL, "internal error"));
        }
    }
}
