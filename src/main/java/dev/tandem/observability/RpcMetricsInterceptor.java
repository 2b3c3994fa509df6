package dev.tandem.observability;

import dev.tandem.rpc.InterceptorOrder;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import dev.tandem.rpc.RpcCalls;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Request count and latency of every RPC, on both protocols, as one Micrometer timer {@value #METRIC}
 * (on {@code /q/metrics}: {@code tandem_rpc_server_seconds_count}, {@code _sum}, {@code _max} and
 * {@code _bucket}) with the tags:
 *
 * <ul>
 *   <li>{@code protocol}: the protocol the call came in by, as its edge tells it ({@link
 *       RpcCalls#PROTOCOL}): {@code grpc}, {@code rest}, {@code grpc-web} or {@code connect}.
 *   <li>{@code service}, {@code method}: the full service name and the method name, e.g. {@code
 *       user.v1.UserService} and {@code GetUserById}.
 *   <li>{@code code}: the gRPC status code name the call ended with, e.g. {@code OK}, {@code
 *       NOT_FOUND}; {@code CANCELLED} when the client went away (or its deadline passed) first. For
 *       REST the HTTP status is the fixed mapping of this code ({@code
 *       dev.tandem.error.HttpStatusMapping}); REST requests refused before any RPC runs (no
 *       route, bad JSON, 413, 415) are not RPCs and appear only in Quarkus's {@code
 *       http_server_requests_seconds}.
 * </ul>
 *
 * <p>Latency is from the start of the call in this interceptor to its close, in seconds. With
 * {@code tandem.observability.call-log.enabled=true} each finished call is also logged at INFO, with
 * the request id in the MDC. Runs just inside {@link RequestIdInterceptor} ({@link
 * InterceptorOrder#RPC_METRICS}).
 */
@ApplicationScoped
@GlobalInterceptor
public class RpcMetricsInterceptor implements ServerInterceptor, Prioritized {

    /** The Micrometer name of the timer. */
    public static final String METRIC = "tandem.rpc.server";

    private static final Logger LOG = Logger.getLogger(RpcMetricsInterceptor.class);

    @Inject
    MeterRegistry registry;

    @Inject
    ObservabilityConfig config;

    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** @return {@link InterceptorOrder#RPC_METRICS} */
    @Override
    public int getPriority() {
        return InterceptorOrder.RPC_METRICS;
    }

    /**
     * @param call a server call
     * @return the protocol it came in by ({@link RpcCalls#protocol})
     */
    public static String protocol(ServerCall<?, ?> call) {
        return RpcCalls.protocol(call);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        boolean metrics = config.rpcMetrics().enabled();
        boolean log = config.callLog().enabled();
        if (!metrics && !log) {
            return next.startCall(call, headers);
        }
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        Key key = new Key(protocol(call), method.getServiceName(), method.getBareMethodName());
        String requestId = RequestIdInterceptor.current();
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        class Finish {
            void record(Status.Code code) {
                if (!done.compareAndSet(false, true)) {
                    return;
                }
                long nanos = System.nanoTime() - start;
                if (metrics) {
                    timers.computeIfAbsent(key.withCode(code.name()), this::timer).record(nanos, TimeUnit.NANOSECONDS);
                }
                if (log) {
                    RequestIdInterceptor.withMdc(requestId, () -> LOG.infof("%s %s/%s %s %.3f ms",
                            key.protocol(), key.service(), key.method(), code, nanos / 1e6));
                }
            }

            Timer timer(Key k) {
                Timer.Builder b = Timer.builder(METRIC)
                        .description("Tandem RPCs served, by protocol (grpc|rest), service, method and status code")
                        .tag("protocol", k.protocol())
                        .tag("service", k.service())
                        .tag("method", k.method())
                        .tag("code", k.code());
                List<Duration> buckets = config.rpcMetrics().buckets();
                if (!buckets.isEmpty()) {
                    b.serviceLevelObjectives(buckets.toArray(Duration[]::new));
                }
                return b.register(registry);
            }
        }
        Finish f = new Finish();
        ServerCall<Q, R> measured = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                f.record(status.getCode());
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(measured, headers);
        } catch (RuntimeException | Error e) {
            f.record(Status.Code.UNKNOWN);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                f.record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** The tag values of one timer; {@code code} is {@code null} before the call ends. */
    private record Key(String protocol, String service, String method, String code) {

        Key(String protocol, String service, String method) {
            this(protocol, service, method, null);
        }

        Key withCode(String c) {
            return new Key(protocol, service, method, c);
        }
    }
}
