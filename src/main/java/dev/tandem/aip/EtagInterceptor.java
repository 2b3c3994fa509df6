package dev.tandem.aip;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.tandem.rpc.InterceptorOrder;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata side of AIP-154 etags, on gRPC and REST alike (the REST facade runs the same
 * interceptors):
 *
 * <ul>
 *   <li>request metadata {@value #IF_MATCH} (HTTP {@code If-Match}, forwarded by the facade when it
 *       is listed in {@code tandem.transcoding.forwarded-headers}) becomes {@link IfMatch#current()}
 *       for the call's conditional writes;</li>
 *   <li>a unary response that carries an etag gets it as response header {@value #ETAG} (on REST:
 *       {@code Grpc-Metadata-Etag} and {@code ETag}). Where the etag is comes from the response
 *       type's descriptor, found once per type: a top-level {@code string etag} field (AIP-154, e.g.
 *       {@code user.v1.User}), or else that field of the first singular message field that has one
 *       (a response wrapping one resource, e.g. {@code GetUserResponse.user}). Response headers are
 *       held back until the message is known (or the call closes without one: then they go
 *       unchanged).</li>
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
        if (ifMatch == null) {
            return next.startCall(withEtag, headers); // IfMatch.CONTEXT_KEY reads null: no Context to make
        }
        return Contexts.interceptCall(Context.current().withValue(IfMatch.CONTEXT_KEY, ifMatch), withEtag, headers, next);
    }

    /** Where the etag of each response type is: the field path, empty when it has none. */
    private static final Map<Descriptor, Optional<FieldDescriptor[]>> ETAG_PATHS = new ConcurrentHashMap<>();

    /**
     * @param message a response message
     * @return its etag (AIP-154), or {@code null} when its type has no etag field or it is empty
     */
    static String etagOf(Object message) {
        if (!(message instanceof Message m)) {
            return null;
        }
        Optional<FieldDescriptor[]> path = ETAG_PATHS.computeIfAbsent(m.getDescriptorForType(), EtagInterceptor::etagPath);
        if (path.isEmpty()) {
            return null;
        }
        Message at = m;
        FieldDescriptor[] fields = path.get();
        for (int i = 0; i < fields.length - 1; i++) {
            at = (Message) at.getField(fields[i]);
        }
        String etag = (String) at.getField(fields[fields.length - 1]);
        return etag.isEmpty() ? null : etag;
    }

    private static Optional<FieldDescriptor[]> etagPath(Descriptor type) {
        FieldDescriptor own = etagField(type);
        if (own != null) {
            return Optional.of(new FieldDescriptor[] {own});
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated() && !f.isMapField()) {
                FieldDescriptor inner = etagField(f.getMessageType());
                if (inner != null) {
                    return Optional.of(new FieldDescriptor[] {f, inner});
                }
            }
        }
        return Optional.empty();
    }

    private static FieldDescriptor etagField(Descriptor type) {
        FieldDescriptor f = type.findFieldByName(ETAG);
        return f != null && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.STRING ? f : null;
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
