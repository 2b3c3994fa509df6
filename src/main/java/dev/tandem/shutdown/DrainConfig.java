package dev.tandem.shutdown;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * What Tandem adds to Quarkus's graceful shutdown, prefix {@code tandem.shutdown}; settable per
 * profile or by environment variable ({@code TANDEM_SHUTDOWN_REFUSE_NEW_CALLS=false}). The timing
 * itself is Quarkus's: {@code quarkus.shutdown.delay} (pre-shutdown: readiness is down, calls are
 * still served) and {@code quarkus.shutdown.timeout} (how long in-flight requests may take to
 * finish). See {@link Drain}.
 */
@ConfigMapping(prefix = "tandem.shutdown")
public interface DrainConfig {

    /**
     * @return once the shutdown delay is over, answer new RPCs (gRPC and REST) {@code UNAVAILABLE}
     *     (REST: 503) instead of serving them, while the calls in flight finish
     */
    @WithDefault("true")
    boolean refuseNewCalls();

    /**
     * @return full gRPC service names that are never refused, so that clients can still ask how the
     *     server is (it answers {@code NOT_SERVING}) and what it serves
     */
    @WithDefault("grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection")
    List<String> alwaysServed();
}
