package dev.tandem.protocol.http;

import dev.tandem.rpc.ErrorMapping;
import dev.tandem.rpc.RpcCalls;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusException;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A gRPC {@link ServerCall} over one Vert.x HTTP request: what every protocol edge (gRPC, REST,
 * gRPC-Web, Connect) hands to a registered method's {@link ServerCallHandler}, so that all of them
 * run the same decorated service behind the same interceptors. Subclasses say how messages are read
 * from the request and how headers, messages and the final status are written; this class does the
 * rest, as grpc-java's own server transport does:
 *
 * <ul>
 *   <li>a gRPC {@link Context} per call, derived from {@code Context.ROOT}, with the client's
 *       deadline when it gave one, attached around every listener callback, cancelled when the call
 *       ends;</li>
 *   <li>the request pump: messages are delivered to the listener only as it {@link #request
 *       requests} them, then {@code onHalfClose} once the request has ended;</li>
 *   <li>outbound calls ({@code sendHeaders}, {@code sendMessage}, {@code close}, {@code request})
 *       may come from any thread (a worker that ran blocking service code); they are carried out on
 *       the request's event loop, in order; encoding a message happens on the calling thread;</li>
 *   <li>{@link #isReady()} follows the HTTP write queue, and {@code onReady} is delivered when it
 *       drains, so a server stream follows the client's pace;</li>
 *   <li>exactly one of {@code onComplete} (the final write went out) and {@code onCancel} (the client
 *       reset the stream or closed the connection first, or the deadline passed) is delivered.</li>
 * </ul>
 *
 * A second {@code close}, and anything sent after {@code close}, is ignored. Not for subclassing
 * outside the protocol edges.
 *
 * @param <Q> request message type
 * @param <R> response message type
 */
public abstract class HttpServerCall<Q, R> extends ServerCall<Q, R> {

    private static final Logger LOG = Logger.getLogger(HttpServerCall.class);

    /** Messages read ahead of the listener's demand before the request is paused. */
    private static final int READ_AHEAD = 16;

    protected final HttpServerRequest request;
    protected final HttpServerResponse response;
    private final MethodDescriptor<Q, R> method;
    private final String protocol;
    private final ContextInternal vertx;
    private final EventLoop eventLoop;

    private Context.CancellableContext context;
    private ServerCall.Listener<Q> listener;
    private Attributes attributes;

    // confined to the event loop
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(2);
    private int demand;
    private boolean inputEnded;
    private boolean halfClosed;
    private boolean headersSent;
    private boolean closed;
    private boolean finished;
    private boolean paused;

    private volatile boolean cancelled;
    private volatile boolean ready = true;

    /**
     * @param request the HTTP request, on its event loop (the caller's thread)
     * @param method the method being called
     * @param protocol one of {@link RpcCalls}' protocol names, as the {@link RpcCalls#PROTOCOL} attribute
     */
    protected HttpServerCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String protocol) {
        this.request = request;
        this.response = request.response();
        this.method = method;
        this.protocol = protocol;
        this.vertx = (ContextInternal) Vertx.currentContext();
        this.eventLoop = vertx.nettyEventLoop();
    }

    /**
     * Starts the call on the request's event loop: the handler's {@code startCall} (the interceptors
     * run now), then {@link #startReading()}, then {@code onReady}.
     *
     * @param handler the registered method's handler
     * @param headers the request metadata
     * @param timeoutNanos the client's deadline from now, in nanoseconds, or a negative number for none
     */
    public final void start(ServerCallHandler<Q, R> handler, Metadata headers, long timeoutNanos) {
        context = timeoutNanos < 0
                ? Context.ROOT.withCancellation()
                : Context.ROOT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS, eventLoop);
        if (timeoutNanos >= 0) {
            context.addListener(c -> {
                if (context.cancellationCause() instanceof TimeoutException) {
                    runOnLoop(this::deadlinePassed);
                }
            }, Runnable::run);
        }
        request.exceptionHandler(e -> runOnLoop(this::clientGone));
        response.closeHandler(v -> runOnLoop(this::streamClosed));
        Context previous = context.attach();
        try {
            listener = handler.startCall(this, headers);
        } catch (RuntimeException e) {
            LOG.error("an interceptor failed to start " + method.getFullMethodName(), e);
            StatusException s = ErrorMapping.toStatus(e);
            close(s.getStatus(), s.getTrailers());
            listener = new ServerCall.Listener<>() {
            };
        } finally {
            context.detach(previous);
        }
        startReading();
        invoke(() -> listener.onReady());
    }

    // ---- for subclasses -------------------------------------------------------------------------

    /** Starts reading the request body (set handlers and resume it), or enqueues what was read. */
    protected abstract void startReading();

    /**
     * @param message a response message
     * @return its encoded form, made on the calling thread (a worker for blocking methods)
     */
    protected abstract Object encode(R message);

    /** @param headers the response headers of the call, written before the first message */
    protected abstract void writeHeaders(Metadata headers);

    /** @param encoded what {@link #encode} made of one response message */
    protected abstract void writeMessage(Object encoded);

    /**
     * Writes the end of the call.
     *
     * @param status its status
     * @param trailers its trailers
     * @param headersSent whether {@link #writeHeaders} (and maybe messages) went out already
     * @return the completion of the last write (e.g. {@code response.end()})
     */
    protected abstract Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent);

    /** Hands a request message to the listener, as it asks for them. Event loop only. */
    protected final void enqueue(Object message) {
        if (closed || cancelled) {
            return;
        }
        inbound.add(message);
        if (inbound.size() > READ_AHEAD && !paused) {
            paused = true;
            request.pause();
        }
        deliver();
    }

    /**
     * The request could not be read: the listener gets a {@link dev.tandem.rpc.RequestFault} with
     * {@code status} at once, ahead of any demand, and nothing more is read. Event loop only.
     *
     * @param status why, not OK
     */
    protected final void fault(Status status) {
        if (closed || cancelled) {
            return;
        }
        inbound.clear();
        inputEnded = true;
        halfClosed = true;
        if (!paused) {
            paused = true;
            request.pause();
        }
        invoke(() -> listener.onMessage(uncheckedMessage(new dev.tandem.rpc.RequestFault(status))));
    }

    /**
     * A reader of the request body as length-prefixed messages (one flags byte, a 4-byte big-endian
     * length, the bytes; grpc/grpc doc/PROTOCOL-HTTP2.md, the envelope gRPC-Web and Connect streaming
     * share): each message is inflated when its flags' bit 0 says it is compressed, parsed and
     * {@link #enqueue enqueued}. Faults ({@code INVALID_ARGUMENT} for a compressed message without an
     * encoding, or for corrupt compressed data; {@code RESOURCE_EXHAUSTED} for a message over {@code
     * maxMessageBytes}, declared or inflated) go to {@link #fault}. Event loop only.
     *
     * @param maxMessageBytes the largest message, in bytes, before and after inflating
     * @param encoding the request's message encoding ({@link Compression#supported}), {@code null} for none
     * @param encodingHeader the header that names it, for the fault's message (e.g. {@code grpc-encoding})
     * @param parse a message's bytes to the request message: {@code null} when they are not one
     *     ({@code CallGuard} answers), or a {@link StatusException} that becomes the call's fault
     * @return the reader; feed it the body's chunks
     */
    protected final FrameReader messageReader(int maxMessageBytes, String encoding, String encodingHeader,
            MessageParser parse) {
        return new FrameReader(maxMessageBytes, new FrameReader.Sink() {
            @Override
            public void frame(int flags, byte[] payload) {
                byte[] message = payload;
                if ((flags & 1) != 0) {
                    if (encoding == null) {
                        fault(Status.INVALID_ARGUMENT.withDescription(
                                "a message is flagged compressed but the request has no " + encodingHeader));
                        return;
                    }
                    try {
                        message = Compression.inflate(encoding, payload, maxMessageBytes);
                    } catch (StatusException e) {
                        fault(e.getStatus());
                        return;
                    }
                }
                try {
                    enqueue(parse.parse(message));
                } catch (StatusException e) {
                    fault(e.getStatus());
                }
            }

            @Override
            public void failed(Status status) {
                fault(status);
            }
        });
    }

    /** Parses one request message for {@link #messageReader}. */
    @FunctionalInterface
    protected interface MessageParser {
        /**
         * @param bytes one message's bytes, inflated
         * @return the request message, or {@code null} when the bytes are not one
         * @throws StatusException the fault to answer instead (e.g. Connect's JSON errors)
         */
        Object parse(byte[] bytes) throws StatusException;
    }

    /** The request has ended: {@code onHalfClose} follows the last message. Event loop only. */
    protected final void endOfInput() {
        inputEnded = true;
        deliver();
    }

    /**
     * Ends the call from the server's side after the subclass has ended the response itself (e.g. a
     * {@code HEAD} request, answered once the first message fixed the status and headers): the
     * service sees a cancellation, as if the client had gone, and stops producing. Event loop only.
     */
    protected final void abandon() {
        clientGone();
    }

    /** @return whether the call's status was written */
    protected final boolean closed() {
        return closed;
    }

    /** Marks the response headers as written by the subclass itself (e.g. before the first message). */
    protected final void headersWritten() {
        headersSent = true;
    }

    // ---- ServerCall -----------------------------------------------------------------------------

    @Override
    public final void request(int numMessages) {
        runOnLoop(() -> {
            demand += numMessages;
            deliver();
        });
    }

    @Override
    public final void sendHeaders(Metadata headers) {
        runOnLoop(() -> {
            if (!closed && !headersSent && !cancelled) {
                headersSent = true;
                writeHeaders(headers);
            }
        });
    }

    @Override
    public final void sendMessage(R message) {
        Object encoded = encode(message);
        runOnLoop(() -> {
            if (closed || cancelled) {
                return;
            }
            if (!headersSent) {
                headersSent = true;
                writeHeaders(new Metadata());
            }
            writeMessage(encoded);
            // a subclass may end the exchange in writeMessage (a HEAD of a stream answers its headers
            // and abandons the call): then there is no write queue left to watch
            if (!cancelled && !response.ended() && response.writeQueueFull()) {
                ready = false;
                response.drainHandler(v -> {
                    ready = true;
                    invoke(() -> listener.onReady());
                });
            }
        });
    }

    @Override
    public final void close(Status status, Metadata trailers) {
        runOnLoop(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (cancelled) {
                return;
            }
            Future<Void> done;
            try {
                done = writeClose(status, trailers, headersSent);
            } catch (RuntimeException e) {
                LOG.error("cannot write the end of " + method.getFullMethodName(), e);
                if (!response.ended()) {
                    response.reset(); // HTTP/2 RST_STREAM, HTTP/1.1 the connection closed
                }
                done = Future.failedFuture(e);
            }
            done.onComplete(ar -> {
                if (ar.succeeded()) {
                    finish(true);
                } else {
                    clientGone();
                }
            });
        });
    }

    @Override
    public final boolean isReady() {
        return ready && !cancelled;
    }

    @Override
    public final boolean isCancelled() {
        return cancelled;
    }

    @Override
    public final MethodDescriptor<Q, R> getMethodDescriptor() {
        return method;
    }

    @Override
    public final Attributes getAttributes() {
        Attributes a = attributes;
        if (a == null) {
            Attributes.Builder b = Attributes.newBuilder().set(RpcCalls.PROTOCOL, protocol);
            InetSocketAddress remote = address(request.remoteAddress());
            if (remote != null) {
                b.set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, remote);
            }
            InetSocketAddress local = address(request.localAddress());
            if (local != null) {
                b.set(Grpc.TRANSPORT_ATTR_LOCAL_ADDR, local);
            }
            a = b.build();
            attributes = a;
        }
        return a;
    }

    @Override
    public final String getAuthority() {
        return request.authority() == null ? null : request.authority().toString();
    }

    // ---- internals ------------------------------------------------------------------------------

    private void deliver() {
        while (demand > 0 && !inbound.isEmpty() && !cancelled && !closed) {
            demand--;
            Object m = inbound.poll();
            invoke(() -> listener.onMessage(uncheckedMessage(m)));
        }
        if (paused && inbound.size() <= READ_AHEAD / 2 && !inputEnded) {
            paused = false;
            request.resume();
        }
        if (inbound.isEmpty() && inputEnded && !halfClosed && !cancelled && !closed) {
            halfClosed = true;
            invoke(() -> listener.onHalfClose());
        }
    }

    private void deadlinePassed() {
        if (closed || cancelled) {
            return;
        }
        closed = true;
        Future<Void> done = writeClose(Status.DEADLINE_EXCEEDED.withDescription("the client's deadline passed"),
                new Metadata(), headersSent);
        done.onComplete(ar -> {
        });
        cancel();
    }

    /**
     * The response's stream or connection closed. Vert.x calls this for every HTTP/2 stream, also
     * after a response that ended normally, and before the completion of its last write: once the
     * status is written and the response ended, the close is the call's completion ({@code
     * onComplete}), not a cancellation (which would run {@code onCancel} on the worker and build a
     * cancellation exception for every successful call).
     */
    private void streamClosed() {
        if (closed && response.ended()) {
            finish(true);
        } else {
            clientGone();
        }
    }

    private void clientGone() {
        if (finished) {
            return;
        }
        cancel();
    }

    private void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        cancelled = true;
        Context.CancellableContext c = context;
        invoke(() -> listener.onCancel());
        if (c != null) {
            c.cancel(Status.CANCELLED.withDescription("the call was cancelled").asRuntimeException());
        }
    }

    private void finish(boolean complete) {
        if (finished) {
            return;
        }
        finished = true;
        if (complete) {
            invoke(() -> listener.onComplete()); // invoke skips it while startCall has not returned
        }
        context.cancel(null);
    }

    /**
     * Runs a listener callback with the call's context attached; nothing while there is no listener
     * yet, i.e. when an interceptor closes the call inside {@code startCall} (as {@code
     * DrainInterceptor} does during shutdown). Callbacks are lambdas that read {@code listener}
     * when run: a method reference {@code listener::onComplete} would dereference it at once and
     * throw {@code NullPointerException} then.
     */
    private void invoke(Runnable callback) {
        if (listener == null) {
            return;
        }
        Context previous = context.attach();
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.error("a listener of " + method.getFullMethodName() + " failed", e);
            if (!closed) {
                StatusException s = ErrorMapping.toStatus(e);
                close(s.getStatus(), s.getTrailers());
            }
        } finally {
            context.detach(previous);
        }
    }

    /** Runs {@code action} on the request's event loop: now if this is it, else queued in order. */
    protected final void runOnLoop(Runnable action) {
        if (eventLoop.inEventLoop()) {
            action.run();
        } else {
            vertx.runOnContext(v -> action.run());
        }
    }

    @SuppressWarnings("unchecked")
    private Q uncheckedMessage(Object m) {
        return (Q) m;
    }

    private static InetSocketAddress address(SocketAddress a) {
        if (a == null || a.host() == null) {
            return null;
        }
        return InetSocketAddress.createUnresolved(a.host(), a.port());
    }
}
