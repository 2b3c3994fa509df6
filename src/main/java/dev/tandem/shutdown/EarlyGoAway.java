package dev.tandem.shutdown;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.jboss.logging.Logger;

/**
 * Tells HTTP/2 clients (gRPC clients, above all) to stop opening streams on their connections as
 * soon as shutdown begins, without refusing any stream already on its way: a GOAWAY frame with
 * error code {@code NO_ERROR} and the largest stream id (2<sup>31</sup>-1), the first half of the
 * two-step graceful shutdown of RFC 9113, section 6.8.
 *
 * <p>Why: during shutdown Quarkus answers every HTTP/2 request that arrived after SIGTERM with a
 * GOAWAY carrying the <em>current</em> last stream id, then closes the connection once its streams
 * end. A client that opened one more stream while that GOAWAY was on the wire (which a busy gRPC
 * client does) has it refused, and when that stream's DATA frame arrives, Netty (4.1.130) treats
 * it as a protocol error and closes the connection at once, failing the calls still in flight on
 * it ({@code UNAVAILABLE: Connection closed after GOAWAY}); {@code GracefulShutdownIT} caught
 * this. After this early GOAWAY the client has stopped using the connection long before Quarkus's
 * GOAWAY comes, so nothing races it; the calls in flight finish on it, new calls go to a new
 * connection (another instance, once the endpoints have been updated).
 *
 * <p>Sent on every HTTP/2 connection that has carried a request, at pre-shutdown ({@link
 * ShutdownDelayInitiatedEvent}), and on a connection first seen during shutdown at its first
 * request. Connections are held weakly; HTTP/1.1 is left to Quarkus ({@code Connection: close}).
 */
@ApplicationScoped
public class EarlyGoAway {

    private static final Logger LOG = Logger.getLogger(EarlyGoAway.class);

    /** Before every other route, so that every request is seen. */
    static final int ROUTE_ORDER = Integer.MIN_VALUE + 100;

    private final Set<HttpConnection> seen = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private final Set<HttpConnection> told = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean shuttingDown;

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            if (ctx.request().version() == HttpVersion.HTTP_2) {
                HttpConnection connection = ctx.request().connection();
                if (shuttingDown) {
                    tell(connection);
                } else {
                    seen.add(connection);
                }
            }
            ctx.next();
        });
    }

    void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        List<HttpConnection> connections;
        synchronized (seen) {
            connections = List.copyOf(seen);
        }
        for (HttpConnection c : connections) {
            tell(c);
        }
        LOG.debugf("GOAWAY (last stream id 2^31-1) sent on %d HTTP/2 connections", connections.size());
    }

    private void tell(HttpConnection connection) {
        if (told.add(connection)) {
            connection.goAway(0, Integer.MAX_VALUE);
        }
    }
}
