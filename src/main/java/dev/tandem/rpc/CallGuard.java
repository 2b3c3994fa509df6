package dev.tandem.rpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import java.io.InputStream;

/**
 * The part of every registered method that turns client faults into {@code INVALID_ARGUMENT} (or the
 * status of a {@link RequestFault}) and service failures into {@link ErrorMapping}'s status, instead
 * of the {@code INTERNAL} or {@code UNKNOWN} that grpc-java and most servers answer. Applied by
 * {@link ServiceDecorator} just inside the interceptors, for every protocol:
 *
 * <ul>
 *   <li>a request that is not a valid protobuf message of the method's type (truncated, malformed,
 *       invalid UTF-8 in a string field): the request marshaller answers {@code null} instead of
 *       throwing ({@link #tolerant}), and the call is closed {@code INVALID_ARGUMENT} ({@value
 *       #NOT_A_MESSAGE});</li>
 *   <li>a {@link RequestFault} an edge delivered instead of a message: closed with its status;</li>
 *   <li>a method whose client sends one message (unary, server streaming) that gets a second one
 *       ({@value #SECOND_MESSAGE}) or none before half-close ({@value #NO_MESSAGE}): {@code
 *       INVALID_ARGUMENT}; per grpc/grpc doc/PROTOCOL-HTTP2.md the client broke the call's contract,
 *       so it is the caller's fault, not the {@code INTERNAL} "Too many requests" of grpc-java's
 *       stubs;</li>
 *   <li>an exception thrown by the service while it starts the call or handles a callback on the
 *       calling thread: closed with {@link ErrorMapping#toStatus}.</li>
 * </ul>
 *
 * Closing a call that something else closed first (a deadline, the transport) is not an error.
 */
final class CallGuard<Q, R> implements ServerCallHandler<Q, R> {

    static final String NOT_A_MESSAGE = "the request is not a valid protobuf message of this method's type";
    static final String NO_MESSAGE = "the call carried no request message";
    static final String SECOND_MESSAGE = "the call carried more than one request message; this method takes exactly one";

    private final ServerCallHandler<Q, R> next;

    CallGuard(ServerCallHandler<Q, R> next) {
        this.next = next;
    }

    /**
     * @param method a method descriptor
     * @return the same method whose request marshaller answers {@code null} where the original throws
     */
    static <Q, R> MethodDescriptor<Q, R> tolerant(MethodDescriptor<Q, R> method) {
        return method.toBuilder().setRequestMarshaller(new NullOnFailure<>(method.getRequestMarshaller())).build();
    }

    @Override
    public ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers) {
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            close(call, ErrorMapping.toStatus(e));
            return new ServerCall.Listener<>() {
            };
        }
        boolean oneMessage = call.getMethodDescriptor().getType().clientSendsOneMessage();
        return new SimpleForwardingServerCallListener<>(listener) {
            private boolean refused;
            private boolean received;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if (message == null) {
                    refuse(Status.INVALID_ARGUMENT.withDescription(NOT_A_MESSAGE));
                } else if (message instanceof RequestFault fault) {
                    refuse(fault.status());
                } else if (received && oneMessage) {
                    refuse(Status.INVALID_ARGUMENT.withDescription(SECOND_MESSAGE));
                } else {
                    received = true;
                    guarded(() -> super.onMessage(message));
                }
            }

            @Override
            public void onHalfClose() {
                if (refused) {
                    return;
                }
                if (!received && oneMessage) {
                    refuse(Status.INVALID_ARGUMENT.withDescription(NO_MESSAGE));
                    return;
                }
                guarded(super::onHalfClose);
            }

            @Override
            public void onReady() {
                if (!refused) {
                    guarded(super::onReady);
                }
            }

            private void refuse(Status status) {
                refused = true;
                close(call, new StatusException(status, new Metadata()));
            }

            private void guarded(Runnable r) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    refused = true;
                    close(call, ErrorMapping.toStatus(e));
                }
            }
        };
    }

    /** Closes {@code call} unless something closed it first. */
    static void close(ServerCall<?, ?> call, StatusException e) {
        try {
            call.close(e.getStatus(), e.getTrailers() != null ? e.getTrailers() : new Metadata());
        } catch (IllegalStateException alreadyClosed) {
            // a deadline or the transport ended the call first
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
