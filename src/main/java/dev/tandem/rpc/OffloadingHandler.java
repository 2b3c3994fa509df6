package dev.tandem.rpc;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.MDC;

/**
 * Runs a method's service code on a worker pool instead of the thread that delivers the call (a
 * Vert.x event loop for every protocol edge, a Netty event loop for grpc-java's server): each
 * listener callback of the service ({@code onMessage}, {@code onHalfClose}, {@code onReady}, {@code
 * onCancel}, {@code onComplete}) is handed to a {@link SerializingExecutor} over the pool, so one
 * call's callbacks run one at a time and in order, and may block (JDBC, {@code @Transactional}).
 * That is the one hop of a blocking call; the response goes back to the event loop through the
 * edge.
 *
 * <p>Each callback runs with the gRPC {@link Context} and the logging MDC (e.g. the request id) that
 * the delivering thread had, so deadlines, cancellation and context values set by interceptors are
 * visible to the service, and inside a CDI request context of its own (unless the worker already has
 * one): so a read-only method needs no {@code @Transactional}. Hibernate ORM then uses a
 * request-scoped session and runs each statement in auto-commit, which saves the JTA transaction and
 * the {@code COMMIT} round trip per call (bench/RESULTS.md: {@code GetUserById} about twice the
 * throughput); at PostgreSQL's default READ COMMITTED isolation a transaction would give each
 * statement its own snapshot anyway. Methods that write keep {@code @Transactional}. A service exception is closed with {@link ErrorMapping}'s status. {@code
 * startCall} itself runs on the calling thread: for grpc-java's generated stubs it only requests
 * the first message.
 */
final class OffloadingHandler<Q, R> implements ServerCallHandler<Q, R> {

    private final ServerCallHandler<Q, R> next;
    private final Executor pool;

    OffloadingHandler(ServerCallHandler<Q, R> next, Executor pool) {
        this.next = next;
        this.pool = pool;
    }

    @Override
    public ServerCall.Listener<Q> startCall(ServerCall<Q, R> call, Metadata headers) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new OffloadedListener<>(delegate, call, new SerializingExecutor(pool));
    }

    private static final class OffloadedListener<Q> extends ServerCall.Listener<Q> {

        private final ServerCall.Listener<Q> delegate;
        private final ServerCall<Q, ?> call;
        private final Executor serial;

        OffloadedListener(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call, Executor serial) {
            this.delegate = delegate;
            this.call = call;
            this.serial = serial;
        }

        private void offload(Runnable callback) {
            Context context = Context.current();
            Map<String, Object> mdc = MDC.getMap();
            serial.execute(() -> {
                ManagedContext requestContext = Arc.container().requestContext();
                boolean activated = !requestContext.isActive();
                if (activated) {
                    requestContext.activate();
                }
                Context previous = context.attach();
                if (!mdc.isEmpty()) {
                    mdc.forEach(MDC::put);
                }
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    CallGuard.close(call, ErrorMapping.toStatus(e));
                } finally {
                    if (!mdc.isEmpty()) {
                        MDC.clear();
                    }
                    context.detach(previous);
                    if (activated) {
                        requestContext.terminate();
                    }
                }
            });
        }

        @Override
        public void onMessage(Q message) {
            offload(() -> delegate.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            offload(delegate::onHalfClose);
        }

        @Override
        public void onCancel() {
            offload(delegate::onCancel);
        }

        @Override
        public void onComplete() {
            offload(delegate::onComplete);
        }

        @Override
        public void onReady() {
            offload(delegate::onReady);
        }
    }
}
