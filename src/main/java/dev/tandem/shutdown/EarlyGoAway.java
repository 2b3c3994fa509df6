package dev.tandem.shutdown;

import io.netty.util.AttributeKey;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The first step of the two-step graceful shutdown of RFC 9113, section 6.8, on every HTTP/2
 * connection: a GOAWAY frame with error code {@code NO_ERROR} and the largest stream id
 * (2<sup>31</sup>-1), which tells the client to open no more streams on the connection without
 * refusing any stream already on its way, followed by a PING. Shutdown goes on only once every
 * connection has answered its PING (or after {@link #ACK_WAIT}): frames are ordered, so the ACK
 * proves that the client has read the GOAWAY and that every stream it opened before reading it has
 * reached the server.
 *
 * <p>Why the wait: the second step is Quarkus's ({@code GracefulShutdownFilter}, installed because
 * {@code quarkus.shutdown.timeout} is set). From the end of pre-shutdown it answers the first
 * request that ends on an HTTP/2 connection with a GOAWAY carrying the <em>current</em> last stream
 * id and closes the connection once its streams end, without a round trip of its own. Its
 * pre-shutdown runs after this observer's ({@code ArcShutdownListener} fires {@link
 * ShutdownDelayInitiatedEvent} before it), so blocking here until the ACKs have come keeps that
 * second GOAWAY behind the first by a full round trip. Without the wait, a stream a busy client had
 * sent just before reading the first GOAWAY arrived after the second, was ignored, and the
 * connection was closed under the calls still in flight on it ({@code UNAVAILABLE: Connection
 * closed after GOAWAY}; {@code GracefulShutdownIT} and {@code TwoReplicasIT} caught it in about one
 * run in five, {@code EarlyGoAwayTest} shows the order of frames).
 *
 * <p>Sent on every HTTP/2 connection that has carried a request, at pre-shutdown, and on a
 * connection first seen during shutdown at its first request (there without the wait, as that
 * runs on the connection's event loop). Connections are held weakly; HTTP/1.1 is left to Quarkus
 * ({@code Connection: close}).
 */
@ApplicationScoped
public class EarlyGoAway {

    private static final Logger LOG = Logger.getLogger(EarlyGoAway.class);

    /** Before every other route, so that every request is seen. */
    static final int ROUTE_ORDER = Integer.MIN_VALUE + 100;

    /**
     * How long pre-shutdown waits for the PING ACKs before it goes on regardless: a client that
     * does not answer within this time is treated as gone (RFC 9113 requires an ACK "as soon as
     * possible").
     */
    static final Duration ACK_WAIT = Duration.ofSeconds(1);

    /** The 8 bytes of opaque data that RFC 9113, section 6.7, requires in a PING. */
    private static final byte[] PING_DATA = "goaway!!".getBytes(StandardCharsets.US_ASCII);

    /**
     * Marks a connection's Netty channel once it is in {@link #seen}, so that a request on a known
     * connection costs one attribute read instead of a lock on the shared set.
     */
    private static final AttributeKey<Boolean> SEEN = AttributeKey.valueOf(EarlyGoAway.class.getName() + ".seen");

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
                    remember(connection);
                }
            }
            ctx.next();
        });
    }

    /** After {@link Drain}'s observer, so that health turns {@code NOT_SERVING} without waiting for the ACKs. */
    void onShutdownRequested(@Observes @Priority(Drain.OBSERVER_PRIORITY + 1) ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
        List<HttpConnection> connections;
        synchronized (seen) {
            connections = List.copyOf(seen);
        }
        List<Future<Buffer>> acks = new ArrayList<>(connections.size());
        for (HttpConnection c : connections) {
            Future<Buffer> ack = tell(c);
            if (ack != null) {
                acks.add(ack);
            }
        }
        try {
            Future.join(acks).toCompletionStage().toCompletableFuture().get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debugf("GOAWAY (last stream id 2^31-1) sent and PING acknowledged on %d HTTP/2 connections", acks.size());
        } catch (TimeoutException e) {
            long acked = acks.stream().filter(Future::succeeded).count();
            LOG.infof("GOAWAY (last stream id 2^31-1) sent on %d HTTP/2 connections; %d acknowledged their PING within %d ms",
                    acks.size(), acked, ACK_WAIT.toMillis());
        } catch (ExecutionException e) {
            // Future.join fails once all are complete and one of them failed: a connection closed
            // before its ACK, so there is nothing left to wait for on it
            LOG.debugf("GOAWAY (last stream id 2^31-1) sent on %d HTTP/2 connections; %d acknowledged their PING, the others closed",
                    acks.size(), acks.stream().filter(Future::succeeded).count());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds the connection to {@link #seen} on its first request only: Vert.x's HTTP/2 server
     * connections are {@link ConnectionBase}s (Vert.x 4 internal API), whose channel carries the
     * mark. A connection of another kind is added on every request, as before.
     */
    private void remember(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            var mark = base.channel().attr(SEEN);
            if (mark.get() == null) {
                mark.set(Boolean.TRUE);
                seen.add(connection);
            }
        } else {
            seen.add(connection);
        }
    }

    private Future<Buffer> tell(HttpConnection connection) {
        return told.add(connection) ? announce(connection) : null;
    }

    /**
     * Sends the first GOAWAY of RFC 9113, section 6.8 (error code {@code NO_ERROR}, last stream id
     * 2<sup>31</sup>-1: nothing is refused) and then a PING on an HTTP/2 connection. May be called
     * from any thread; Vert.x writes both frames on the connection's event loop, in this order.
     *
     * @param connection an HTTP/2 server connection
     * @return completes with the PING's opaque data when the client acknowledges it, which it does
     *     only after reading the GOAWAY (frames are read in order); fails if the connection closes
     *     first
     */
    static Future<Buffer> announce(HttpConnection connection) {
        connection.goAway(0, Integer.MAX_VALUE);
        return connection.ping(Buffer.buffer(PING_DATA));
    }
}
