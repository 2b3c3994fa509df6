package dev.tandem.protocol.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces the socket writes of an HTTP/2 connection: Netty's {@link FlushConsolidationHandler},
 * placed next to the socket, turns the flushes made in one event-loop task into one write system
 * call, also when no read is in progress ({@code consolidateWhenNoReadInProgress}), and at most
 * {@link #EXPLICIT_FLUSH_AFTER_FLUSHES} flushes are held back. Vert.x flushes after every HTTP/2
 * frame it writes outside a read (response HEADERS, each DATA, the trailers), so an answer that a
 * worker thread hands to the event loop (every offloaded RPC) went out in three writes; with this
 * handler it goes out in one, as grpc-java's own Netty server (its write queue) and Armeria (the
 * same handler) do.
 *
 * <p>Installed by {@link HttpGuard} on each HTTP/2 connection at its first request, when {@code
 * tandem.http.flush-consolidation.enabled} is {@code true} (the default; {@code bench/features.tsv}
 * measures it by switching it off).
 */
public final class FlushConsolidation {

    /** At most this many flushes are consolidated into one (Netty's default is 256). */
    static final int EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

    private static final String NAME = "tandem-flush-consolidation";

    private FlushConsolidation() {
    }

    /**
     * Adds the handler to the connection's pipeline once; later calls find it there and do nothing.
     * Event loop of the connection only.
     *
     * @param connection an HTTP/2 server connection of Vert.x (a {@link ConnectionBase})
     */
    static void install(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        Channel channel = base.channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.context(NAME) == null) {
            pipeline.addFirst(NAME, new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
    }
}
