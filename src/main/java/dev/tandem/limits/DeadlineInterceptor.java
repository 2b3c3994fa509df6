package dev.tandem.limits;

import dev.tandem.error.ApiErrors;
import dev.tandem.rpc.InterceptorOrder;
import dev.tandem.rpc.GrpcTimeout;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The deadline of every unary RPC, on gRPC and REST alike (the REST facade runs the same
 * interceptors): the client's deadline, but never more than {@code tandem.limits.max-request-timeout}
 * from the start of the call. When the client gave none, or a later one, the call runs under the
 * server's limit instead.
 *
 * <p>The client's deadline is the call's gRPC {@link Context} deadline where the transport sets one
 * (the REST facade's in-process calls, from {@code Grpc-Timeout}; Quarkus's separate gRPC server),
 * else the request's {@code grpc-timeout} metadata (gRPC over HTTP/2 protocol), which the Vert.x gRPC
 * server on the shared HTTP port passes on without applying it. Either way the call's Context gets
 * the resulting deadline (so {@code Context.current().getDeadline()} and cancellation are what the
 * service sees), and when it passes the call is closed with {@code DEADLINE_EXCEEDED} (REST 504) and
 * {@link ApiErrors#deadlineExceeded}'s details; whatever the service sends after that is dropped
 * ({@link ClosableCall}).
 *
 * <p>Work already running (e.g. a statement waiting in PostgreSQL) is not interrupted; its result is
 * discarded. Server-streaming RPCs are not capped: a health {@code Watch} lasts by design as long as
 * its client wants, and an export is paced by its reader (HTTP/2 flow control); both are bounded by
 * the client's deadline, {@code quarkus.http.limits.max-concurrent-streams} per connection and the
 * shutdown timeout. Priority {@link InterceptorOrder#DEADLINE}.
 */
@ApplicationScoped
@GlobalInterceptor
public class DeadlineInterceptor implements ServerInterceptor, Prioritized {

    /** Request metadata key {@code grpc-timeout}: the client's timeout, e.g. {@code 4999860u}. */
    static final Metadata.Key<String> GRPC_TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    LimitsConfig config;

    private final ScheduledThreadPoolExecutor timer = timer();

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = Executors.defaultThreadFactory().newThread(r);
            thread.setName("tandem-deadline-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // a call that ends in time leaves no task behind
        return t;
    }

    /** @return {@link InterceptorOrder#DEADLINE} */
    @Override
    public int getPriority() {
        return InterceptorOrder.DEADLINE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        Duration max = config.maxRequestTimeout();
        Deadline cap = Deadline.after(max.toNanos(), TimeUnit.NANOSECONDS);
        Deadline given = Context.current().getDeadline();
        if (given != null && given.isBefore(cap)) {
            return next.startCall(call, headers); // the transport enforces the client's own deadline
        }
        long clientNanos = given == null ? timeoutNanos(headers) : -1;
        Deadline client = clientNanos < 0 ? null : Deadline.after(clientNanos, TimeUnit.NANOSECONDS);
        boolean serverLimit = client == null || !client.isBefore(cap);
        Deadline deadline = serverLimit ? cap : client;
        Duration timeout = serverLimit ? max : Duration.ofNanos(clientNanos);
        Context.CancellableContext context = Context.current().withDeadline(deadline, scheduler());
        ClosableCall<Q, R> closable = new ClosableCall<>(call);
        context.addListener(c -> {
            if (context.cancellationCause() instanceof TimeoutException) {
                StatusRuntimeException e = ApiErrors.deadlineExceeded(timeout, serverLimit);
                closable.close(e.getStatus(), e.getTrailers());
            }
        }, Runnable::run);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, closable, headers, next);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    context.cancel(null); // frees the timer
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    context.cancel(null);
                }
            }
        };
    }

    /**
     * Where the deadline's timer runs: the Netty event loop the call starts on (every protocol edge
     * starts calls on its request's event loop), whose scheduled-task queue that thread adds to and
     * removes from without a lock; elsewhere (a call started off an event loop) the interceptor's own
     * timer thread.
     *
     * @return the scheduler for this call's deadline
     */
    private ScheduledExecutorService scheduler() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null ? loop : timer;
    }

    /** @return the {@code grpc-timeout} metadata in nanoseconds, or -1 when absent or malformed */
    private static long timeoutNanos(Metadata headers) {
        String value = headers.get(GRPC_TIMEOUT);
        if (value == null) {
            return -1;
        }
        try {
            return GrpcTimeout.parseNanos(value);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
