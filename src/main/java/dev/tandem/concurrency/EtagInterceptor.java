package dev.tandem.concurrency;

import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.User;
import dev.tandem.grpc.InterceptorOrder;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * The metadata side of AIP-154 etags, on gRPC and REST alike (the REST facade runs the same
 * interceptors):
 *
 * <ul>
 *   <li>request metadata {@value #IF_MATCH} (HTTP {@code If-Match}, forwarded by the facade when it
 *       is listed in {@code tandem.transcoding.forwarded-headers}) becomes {@link IfMatch#current()}
 *       for the call's conditional writes;</li>
 *   <li>a unary response that is a {@code user.v1.User}, a {@code GetUserResponse} or an {@code
 *       orders.v1.Order} gets its etag as response header {@value #ETAG} (on REST: {@code
 *       Grpc-Metadata-Etag}). Response headers are held back until the message is known (or the call
 *       closes without one: then they go unchanged).</li>
 * </ul>
 */
@ApplicationScoped
@GlobalInterceptor
public class EtagInterceptor implements ServerInterceptor, Prioritized {

    /** Request metadata key {@value}: the HTTP {@code If-Match} precondition. */
    public static final String IF_MATCH = "if-match";
    /** Response metadata key {@value}: the etag of the returned resource. */
    public static final String ETAG = "etag";

    static final Metadata.Key<String> IF_MATCH_KEY = Metadata.Key.of(IF_MATCH, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> ETAG_KEY = Metadata.Key.of(ETAG, Metadata.ASCII_STRING_MARSHALLER);

    /** @return {@link InterceptorOrder#ETAG} */
    @Override
    public int getPriority() {
        return InterceptorOrder.ETAG;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Iterable<String> all = headers.getAll(IF_MATCH_KEY);
        String ifMatch = all == null ? null : String.join(",", all);
        ServerCall<Q, R> withEtag = call.getMethodDescriptor().getType().serverSendsOneMessage()
                ? new EtagHeaderCall<>(call) : call;
        return Contexts.interceptCall(Context.current().withValue(IfMatch.CONTEXT_KEY, ifMatch), withEtag, headers, next);
    }

    /** The etag of a response message, or {@code null} when it carries none. */
    static String etagOf(Object message) {
        String etag = null;
        if (message instanceof User u) {
            etag = u.getEtag();
        } else if (message instanceof GetUserResponse r) {
            etag = r.getUser().getEtag();
        } else if (message instanceof Order o) {
            etag = o.getEtag();
        }
        return etag == null || etag.isEmpty() ? null : etag;
    }

    /** Holds the response headers back until the (single) response message is known. */
    private static final class EtagHeaderCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

        private Metadata pending;

        EtagHeaderCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            pending = headers;
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (pending != null) {
                String etag = etagOf(message);
                if (etag != null) {
                    pending.put(ETAG_KEY, etag);
                }
                flush();
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (pending != null) {
                flush();
            }
            super.close(status, trailers);
        }

        private void flush() {
            Metadata h = pending;
            pending = null;
            super.sendHeaders(h);
        }
    }
}
