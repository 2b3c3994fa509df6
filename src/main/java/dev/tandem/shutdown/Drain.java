package dev.tandem.shutdown;

import dev.tandem.rpc.RpcRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Tandem's part of a graceful shutdown. On SIGTERM Quarkus first runs its pre-shutdown phase,
 * which fires {@link ShutdownDelayInitiatedEvent} (with {@code quarkus.shutdown.delay-enabled=true},
 * set at build time) and turns {@code /q/health/ready} DOWN. Then:
 *
 * <ol>
 *   <li>At once, here: every service of the standard gRPC health service ({@code
 *       grpc.health.v1.Health}, also the server-wide "" entry) reports {@code NOT_SERVING}, so gRPC
 *       health probes and client-side health checks see the same as the HTTP readiness probe.
 *   <li>For {@code quarkus.shutdown.delay} (if set) calls are still served normally, while load
 *       balancers and clients notice.
 *   <li>After the delay, {@link DrainInterceptor} refuses new RPCs with {@code UNAVAILABLE} (REST:
 *       503), unless {@code tandem.shutdown.refuse-new-calls=false}; Quarkus waits up to {@code
 *       quarkus.shutdown.timeout} for the HTTP requests in flight (REST calls and gRPC calls and
 *       streams alike, all HTTP requests on the one port) to finish, sending HTTP/2 GOAWAY and
 *       HTTP/1.1 {@code Connection: close} as each ends; then it closes the port.
 * </ol>
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);

    /** Observer order at pre-shutdown: this one first (health at once), then {@link EarlyGoAway}'s. */
    static final int OBSERVER_PRIORITY = 100;

    @Inject
    DrainConfig config;

    @Inject
    RpcRegistry registry;

    /** {@link System#nanoTime()} from which new calls are refused; meaningful once {@link #started}. */
    private volatile long refuseFrom;
    private volatile boolean started;

    /**
     * @return {@code true} once shutdown has begun and its delay is over, so that new calls must be
     *     refused (always {@code false} with {@code tandem.shutdown.refuse-new-calls=false})
     */
    public boolean refusing() {
        return started && config.refuseNewCalls() && System.nanoTime() - refuseFrom >= 0;
    }

    /**
     * @param service full gRPC service name
     * @return {@code true} for a service listed in {@code tandem.shutdown.always-served}
     */
    public boolean alwaysServed(String service) {
        List<String> always = config.alwaysServed();
        return always.contains(service);
    }

    void onShutdownRequested(@Observes @Priority(OBSERVER_PRIORITY) ShutdownDelayInitiatedEvent event) {
        Duration delay = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.shutdown.delay", Duration.class).orElse(Duration.ZERO);
        refuseFrom = System.nanoTime() + delay.toNanos();
        started = true;
        registry.healthNotServing();
        LOG.infof("Shutdown requested: readiness is DOWN; new calls are %s",
                config.refuseNewCalls() ? "refused after " + delay.toMillis() + " ms" : "still served");
    }
}
