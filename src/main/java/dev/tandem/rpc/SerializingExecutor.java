package dev.tandem.rpc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on threads of a delegate pool: what one call's
 * listener callbacks need when they run on a worker pool (grpc-java's {@code ServerImpl} does the
 * same with its executor). At most one task of this executor runs at a time; the thread that
 * drains the queue may change between tasks, with a happens-before edge from each task to the next.
 * A task that throws is logged and does not stop the ones after it.
 */
final class SerializingExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerializingExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    SerializingExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RuntimeException rejected) {
                running.set(false);
                throw rejected;
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("a serialized task failed", e);
                }
            }
        } finally {
            running.set(false);
        }
        if (!tasks.isEmpty()) {
            schedule(); // a task added after the last poll and before running was cleared
        }
    }
}
