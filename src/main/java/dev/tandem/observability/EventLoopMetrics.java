package dev.tandem.observability;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Micrometer's Netty event-executor metrics for the two Vert.x event-loop groups that serve every
 * protocol on the one port, told apart by the tag {@value #GROUP}: {@value #EVENT_LOOP} (the loops
 * that run REST, gRPC and health requests) and {@value #ACCEPTOR} (the loop that accepts
 * connections). Per group, Prometheus shows {@code netty_eventexecutor_workers{group=...}} (number of
 * loops) and per loop {@code netty_eventexecutor_tasks_pending{group=...,name=<thread>}} (its queue
 * length, a saturation signal).
 *
 * <p>Replaces Quarkus's {@code io.quarkus.micrometer.runtime.binder.netty.VertxNettyEventExecutorMetricsProvider}
 * (excluded by {@code quarkus.arc.exclude-types} in {@code application.properties}), which binds
 * {@link NettyEventExecutorMetrics} to the same two groups with no tag. Since Micrometer 1.16 that
 * binder also registers the gauge {@code netty.eventexecutor.workers}, whose id then is the same for
 * both groups: the second registration was refused with the start-up warning "This Gauge has been
 * already registered (MeterId{name='netty.eventexecutor.workers', tags=[]})" and the gauge counted
 * one group only (Quarkus issue 52014, open for Quarkus 3.32). With a tag per group each gauge has an
 * id of its own. Netty allocator metrics stay Quarkus's own.
 */
@Singleton
public class EventLoopMetrics {

    /** The tag that names the event-loop group. */
    public static final String GROUP = "group";

    /** {@value #GROUP} of Vert.x's event loops ({@code vert.x-eventloop-thread-N}). */
    public static final String EVENT_LOOP = "event-loop";

    /** {@value #GROUP} of Vert.x's acceptor loop ({@code vert.x-acceptor-thread-N}). */
    public static final String ACCEPTOR = "acceptor";

    /**
     * @param vertx Quarkus's Vert.x instance
     * @return the binder of Vert.x's event-loop group, tagged {@value #GROUP}={@value #EVENT_LOOP}
     */
    @Produces
    @Singleton
    MeterBinder vertxEventLoops(Vertx vertx) {
        return new NettyEventExecutorMetrics(((VertxInternal) vertx).getEventLoopGroup(), Tags.of(GROUP, EVENT_LOOP));
    }

    /**
     * @param vertx Quarkus's Vert.x instance
     * @return the binder of Vert.x's acceptor group, tagged {@value #GROUP}={@value #ACCEPTOR}
     */
    @Produces
    @Singleton
    MeterBinder vertxAcceptors(Vertx vertx) {
        return new NettyEventExecutorMetrics(((VertxInternal) vertx).getAcceptorEventLoopGroup(), Tags.of(GROUP, ACCEPTOR));
    }
}
