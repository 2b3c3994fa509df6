package dev.tandem.limits;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call that another thread may close while the service still works on it: every
 * outbound operation is serialised (a {@link ServerCall} is not thread-safe), and once closed the
 * call drops whatever the service sends later ({@code sendHeaders}, {@code sendMessage}, a second
 * {@code close}) instead of failing on it.
 *
 * @param <Q> request type
 * @param <R> response type
 */
final class ClosableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

    private boolean closed;

    ClosableCall(ServerCall<Q, R> delegate) {
        super(delegate);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
        if (!closed) {
            super.sendHeaders(headers);
        }
    }

    @Override
    public synchronized void sendMessage(R message) {
        if (!closed) {
            super.sendMessage(message);
        }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
        if (!closed) {
            closed = true;
            super.close(status, trailers);
        }
    }

    @Override
    public synchronized boolean isReady() {
        return !closed && super.isReady();
    }
}
