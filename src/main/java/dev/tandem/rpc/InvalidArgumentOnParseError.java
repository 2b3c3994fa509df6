package dev.tandem.rpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * Makes a request that is not a valid protobuf message of the method's type (truncated,
 * malformed, invalid UTF-8 in a string field) fail with {@code INVALID_ARGUMENT}, the caller's
 * fault, instead of {@code INTERNAL}, which grpc-java and the Vert.x gRPC server answer whatever a
 * marshaller throws.
 *
 * <p>How: the request marshaller answers {@code null} instead of throwing, and the call handler
 * closes a call whose message is {@code null} with {@code INVALID_ARGUMENT} before the service sees
 * it. Both work on any transport. Applied by every Tandem service in its {@code bindService()}, so
 * the gRPC server and the REST facade's in-process server both get it.
 *
 * <p>Likewise a unary (client sends one message) call that half-closes without a message is {@code
 * INVALID_ARGUMENT} ({@value #NO_MESSAGE}), where grpc-java's stub would answer {@code INTERNAL}.
 * That is also what the service side sees of a message over {@code
 * quarkus.grpc.server.max-inbound-message-size} on the shared HTTP port: the Vert.x gRPC server has
 * already answered it {@code RESOURCE_EXHAUSTED} and ended the stream, so this close finds the call
 * closed; that is expected and not logged as an error.
 */
public final class InvalidArgumentOnParseError {

    static final String DESCRIPTION = "the request is not a valid protobuf message of this method's type";

    static final String NO_MESSAGE = "the call carried no request message";

    private InvalidArgumentOnParseError() {}

    /**
     * @param service a bound service
     * @return the same service, whose malformed requests are answered {@code INVALID_ARGUMENT}
     */
    public static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        io.grpc.ServiceDescriptor original = service.getServiceDescriptor();
        java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
        io.grpc.ServiceDescriptor.Builder descriptor = io.grpc.ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor()); // reflection and the transcoder read it
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            ServerMethodDefinition<?, ?> wrapped = wrap(m);
            methods.add(wrapped);
            descriptor.addMethod(wrapped.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> wrap(ServerMethodDefinition<Q, R> m) {
        MethodDescriptor<Q, R> md = m.getMethodDescriptor();
        return ServerMethodDefinition.create(
                md.toBuilder().setRequestMarshaller(new NullOnFailure<>(md.getRequestMarshaller())).build(),
                new Handler<>(m.getServerCallHandler()));
    }

    /** Closes a call whose request did not parse; otherwise the original handler. */
    private record Handler<Q, R>(ServerCallHandler<Q, R> delegate) implements ServerCallHandler<Q, R> {
        @Override
        public ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers) {
            return new SimpleForwardingServerCallListener<>(delegate.startCall(call, headers)) {
                private boolean rejected;
                private boolean received;

                @Override
                public void onMessage(Q message) {
                    received = true;
                    if (rejected) {
                        return;
                    }
                    if (message == null) {
                        rejected = true;
                        call.close(Status.INVALID_ARGUMENT.withDescription(DESCRIPTION), new Metadata());
                        return;
                    }
                    super.onMessage(message);
                }

                @Override
                public void onHalfClose() {
                    if (rejected) {
                        return;
                    }
                    if (!received && call.getMethodDescriptor().getType().clientSendsOneMessage()) {
                        rejected = true;
                        try {
                            call.close(Status.INVALID_ARGUMENT.withDescription(NO_MESSAGE), new Metadata());
                        } catch (IllegalStateException alreadyEnded) {
                            // the transport ended the call first (an oversized message: RESOURCE_EXHAUSTED)
                        }
                        return;
                    }
                    super.onHalfClose();
                }
            };
        }
    }

    /** Delegates; answers {@code null} where the delegate throws. Keeps the prototype. */
    private static final class NullOnFailure<T> implements MethodDescriptor.PrototypeMarshaller<T> {

        private final MethodDescriptor.Marshaller<T> delegate;

        NullOnFailure(MethodDescriptor.Marshaller<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public InputStream stream(T value) {
            return delegate.stream(value);
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return delegate.parse(stream);
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getMessagePrototype() {
            return delegate instanceof MethodDescriptor.PrototypeMarshaller<?> p ? (T) p.getMessagePrototype() : null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Class<T> getMessageClass() {
            return delegate instanceof MethodDescriptor.ReflectableMarshaller<?> r ? (Class<T>) r.getMessageClass() : null;
        }
    }
}
