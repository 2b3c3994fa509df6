package dev.tandem.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Serves a server-streaming RPC from a paged source under gRPC flow control: the next page is
 * fetched, on a worker thread, only when every item fetched so far has been handed to the call
 * and the call {@link ServerCallStreamObserver#isReady() is ready} for more. A slow client
 * therefore holds the server to at most one page in memory plus the transport's own buffers, on
 * gRPC (HTTP/2 flow-control windows) and on REST (the transcoder requests the next message only when
 * the HTTP connection drains) alike.
 *
 * <p>Quarkus's Mutiny server streaming ({@code Multi}) subscribes with unbounded demand and so does
 * not give this guarantee, which is why streaming RPCs use grpc-java's observer API with this class.
 *
 * <p>Errors: a {@link StatusRuntimeException} from the source ends the stream with its status;
 * any other exception ends it with {@code INTERNAL} and a generic message (the cause is logged, not
 * sent). A cancelled call stops fetching.
 *
 * @param <C> the cursor type, e.g. the last id sent
 * @param <T> the streamed message type
 */
public final class PagedStream<C, T> {

    /**
     * One page of a source.
     *
     * @param items the items, in stream order
     * @param next the cursor of the following page, or {@code null} if this is the last page
     * @param <C> cursor type
     * @param <T> item type
     */
    public record Page<C, T>(List<T> items, C next) {}

    /**
     * A blocking, paged source, called on a worker thread one page at a time.
     *
     * @param <C> cursor type
     * @param <T> item type
     */
    @FunctionalInterface
    public interface Source<C, T> {
        /**
         * @param cursor the first page's cursor, or a {@link Page#next()} of this source
         * @return the page at {@code cursor}
         */
        Page<C, T> fetch(C cursor);
    }

    private static final Logger LOG = Logger.getLogger(PagedStream.class);

    /** Streams of this JVM that hold items or a next page back because their call is not ready. */
    private static final java.util.concurrent.atomic.AtomicInteger WAITING =
            new java.util.concurrent.atomic.AtomicInteger();

    private final ServerCallStreamObserver<T> call;
    private final Source<C, T> source;
    private final Executor worker;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private C next;
    private boolean fetching;
    private boolean lastPage;
    private boolean finished;
    private volatile boolean cancelled;
    private boolean waiting;

    private PagedStream(ServerCallStreamObserver<T> call, Source<C, T> source, C first, Executor worker) {
        this.call = call;
        this.source = source;
        this.next = first;
        this.worker = worker;
    }

    /**
     * How many paged streams are waiting for their reader right now: each has handed the call all it
     * may (the call is not {@link ServerCallStreamObserver#isReady() ready}: the transport's buffers
     * are full) and fetches nothing more until the call's {@code onReady}. The observable sign that
     * flow control holds a slow client's stream back.
     *
     * @return the number of such streams in this JVM
     */
    public static int waitingForReader() {
        return WAITING.get();
    }

    /**
     * Starts streaming, fetching pages on the workers that run blocking service code ({@link
     * RpcWorkers}). Call from the RPC method and return.
     *
     * @param observer the RPC's response observer (a {@link ServerCallStreamObserver} on the server)
     * @param first cursor of the first page
     * @param source the pages
     * @param <C> cursor type
     * @param <T> item type
     */
    public static <C, T> void start(StreamObserver<T> observer, C first, Source<C, T> source) {
        start(observer, first, source, RpcWorkers.current());
    }

    /**
     * Starts streaming on the given executor.
     *
     * @param observer the RPC's response observer
     * @param first cursor of the first page
     * @param source the pages
     * @param worker where {@link Source#fetch} runs; must not be an event loop
     * @param <C> cursor type
     * @param <T> item type
     */
    public static <C, T> void start(StreamObserver<T> observer, C first, Source<C, T> source, Executor worker) {
        PagedStream<C, T> stream = new PagedStream<>((ServerCallStreamObserver<T>) observer, source, first, worker);
        stream.call.setOnCancelHandler(() -> {
            stream.cancelled = true;
            synchronized (stream) {
                stream.waiting(false);
            }
        });
        stream.call.setOnReadyHandler(stream::drain);
        stream.drain();
    }

    private void drain() {
        synchronized (this) {
            if (finished || cancelled) {
                waiting(false);
                return;
            }
            while (!buffer.isEmpty() && call.isReady()) {
                call.onNext(buffer.poll());
            }
            if (fetching) {
                return;
            }
            if (!buffer.isEmpty()) {
                waiting(true); // the call stopped being ready with items left
                return;
            }
            if (lastPage) {
                finished = true;
                waiting(false);
                call.onCompleted();
                return;
            }
            if (!call.isReady()) {
                waiting(true);
                return;
            }
            waiting(false);
            fetching = true;
        }
        worker.execute(this::fetch);
    }

    /** Records whether this stream waits for its reader; call holding this stream's lock. */
    private void waiting(boolean now) {
        if (now != waiting) {
            waiting = now;
            WAITING.addAndGet(now ? 1 : -1);
        }
    }

    private void fetch() {
        Page<C, T> page;
        try {
            page = source.fetch(next);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        synchronized (this) {
            buffer.addAll(page.items());
            next = page.next();
            lastPage = page.next() == null;
            fetching = false;
        }
        drain();
    }

    private void fail(RuntimeException e) {
        StatusRuntimeException status;
        if (e instanceof StatusRuntimeException sre) {
            status = sre;
        } else {
            LOG.error("streaming RPC failed", e);
            status = Status.INTERNAL.withDescription("internal error").asRuntimeException();
        }
        synchronized (this) {
            if (finished || cancelled) {
                return;
            }
            finished = true;
            waiting(false);
            call.onError(status);
        }
    }
}
