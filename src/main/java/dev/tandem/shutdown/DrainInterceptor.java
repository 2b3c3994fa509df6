package dev.tandem.shutdown;

import dev.tandem.rpc.InterceptorOrder;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;

/**
 * Refuses a new call once {@link Drain#refusing()}: it is closed at once with {@code UNAVAILABLE}
 * ("server is shutting down"), which gRPC clients treat as safe to retry elsewhere since nothing ran,
 * and which the REST facade answers as HTTP 503 with that {@code google.rpc.Status}. Calls already
 * running are not touched. Services in {@code tandem.shutdown.always-served} (health, reflection)
 * are always served.
 */
@ApplicationScoped
@GlobalInterceptor
public class DrainInterceptor implements ServerInterceptor, Prioritized {

    /** The description of the refusal status. */
    public static final String REFUSAL = "server is shutting down; retry on another instance";

    @Inject
    Drain drain;

    /** @return {@link InterceptorOrder#DRAIN} */
    @Override
    public int getPriority() {
        return InterceptorOrder.DRAIN;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (drain.refusing() && !drain.alwaysServed(call.getMethodDescriptor().getServiceName())) {
            call.close(Status.UNAVAILABLE.withDescription(REFUSAL), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
