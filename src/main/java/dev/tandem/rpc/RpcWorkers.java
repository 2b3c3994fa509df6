package dev.tandem.rpc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads blocking service code runs on ({@link OffloadingHandler}): a fixed pool of plain
 * threads named {@code tandem-rpc-<n>}, with an unbounded queue.
 *
 * <p>Plain on purpose: Quarkus's default worker pool propagates the request's Vert.x duplicated
 * context to its threads, and Quarkus stores the current gRPC {@code Context} (and the logging MDC)
 * in that context's local data, which the event loop keeps writing while the worker runs; a worker
 * could then read another callback's {@code Context} (seen: an {@code If-Match} lost between the
 * interceptor and the service). On these threads the gRPC {@code Context} and the MDC are
 * thread-local, carried over by {@link OffloadingHandler}. The size bounds how many blocking calls
 * run at once, which should not exceed the database pool ({@code quarkus.datasource.jdbc.max-size}).
 */
final class RpcWorkers {

    /** Configuration, prefix {@code tandem.rpc}. */
    @ConfigMapping(prefix = "tandem.rpc")
    interface Config {
        /**
         * @return threads that run blocking service code (JDBC), i.e. at most this many such calls at
         *     once; run time ({@code TANDEM_RPC_WORKER_THREADS})
         */
        @WithDefault("16")
        int workerThreads();
    }

    /** The pool of the running application, for {@link PagedStream}'s page fetches. */
    private static volatile ExecutorService current;

    private RpcWorkers() {
    }

    /** @return the pool of the running application; before it started, a fresh single thread */
    static ExecutorService current() {
        ExecutorService c = current;
        if (c == null) {
            synchronized (RpcWorkers.class) {
                c = current;
                if (c == null) {
                    c = pool(1);
                    current = c;
                }
            }
        }
        return c;
    }

    /**
     * @param threads the pool size, at least 1
     * @return a new pool of daemon threads, from now on also {@link #current()}
     */
    static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "tandem-rpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        int size = Math.max(1, threads);
        ExecutorService pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        current = pool;
        return pool;
    }
}
