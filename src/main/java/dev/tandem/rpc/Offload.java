package dev.tandem.rpc;

import io.grpc.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * Runs blocking work (JDBC, {@code @Transactional} services) off the calling thread.
 *
 * <p>Contract of every Tandem gRPC method: it never blocks the thread that calls it. The REST
 * transcoder calls the services through an in-process gRPC server on the Vert.x event loop, without
 * Quarkus's {@code @Blocking} handling, so a gRPC method must not use {@code @Blocking} or
 * {@code @Transactional}; it returns {@code Offload.blocking(() -> service.method(request))}
 * instead.
 */
public final class Offload {

    private Offload() {
    }

    /**
     * A {@link Uni} that, when subscribed, runs {@code work} on Quarkus's default worker pool and
     * emits its result, or fails with what it throws (e.g. a {@code StatusRuntimeException} from
     * {@code dev.tandem.error.ApiErrors}). Nothing runs on the subscribing thread.
     *
     * <p>The work, and what reacts synchronously to its result or failure (the gRPC stub answering,
     * the exception handler logging), runs in the gRPC {@link Context} that was current when {@code
     * blocking} was called (so {@link RequestIdInterceptor#current()}, the call's deadline and
     * cancellation are visible to it), with the call's request id in the logging MDC.
     *
     * @param work blocking work, e.g. a call of a {@code @Transactional} service
     * @param <T> result type, usually a proto message
     * @return a lazy, single-shot {@code Uni} per subscription
     */
    public static <T> Uni<T> blocking(Supplier<T> work) {
        Context context = Context.current();
        Map<String, Object> mdc = MDC.getMap();
        return Uni.createFrom().<T>emitter(emitter -> {
            Context previous = context.attach();
            mdc.forEach(MDC::put);
            try {
                // emit inside the scope: what reacts to the result or the failure (the gRPC stub
                // writing the response, the exception handler logging) sees the same context
                T result;
                try {
                    result = work.get();
                } catch (Throwable t) {
                    emitter.fail(t);
                    return;
                }
                emitter.complete(result);
            } finally {
                MDC.clear();
                context.detach(previous);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
