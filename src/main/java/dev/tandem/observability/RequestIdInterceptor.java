package dev.tandem.observability;

import dev.tandem.rpc.InterceptorOrder;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every call a request id, on gRPC and on REST alike (the REST facade runs the same
 * interceptors): the caller's {@code x-request-id} metadata (the {@code X-Request-Id} HTTP header on
 * REST) when it is 1 to 128 characters of {@code [A-Za-z0-9._:-]}, otherwise a new random UUID. The
 * id is returned in the {@code x-request-id} response header (on REST: {@code
 * Grpc-Metadata-X-Request-Id}) and is available to the call's code as {@link #current()}.
 *
 * <p>The id is also the logging MDC entry {@value #MDC_KEY} (a field of every JSON log line, {@code
 * %X{requestId}} in a text format) while the call's code runs: around the start of the call, around
 * each listener callback (which gRPC may run on different threads: the event loop, a worker) and
 * around the call's close. {@code dev.tandem.rpc.OffloadingHandler} carries it to the worker thread that runs
 * the blocking part of a call. The previous MDC value is restored after each, so a pooled thread
 * never keeps another call's id.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestIdInterceptor implements ServerInterceptor, Prioritized {

    /** The metadata key, {@code x-request-id}. */
    public static final Metadata.Key<String> KEY = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    /** The logging MDC key, {@value}. */
    public static final String MDC_KEY = "requestId";

    private static final Context.Key<String> CONTEXT_KEY = Context.key("tandem-request-id");
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** @return the request id of the current call, or {@code null} outside a call */
    public static String current() {
        return CONTEXT_KEY.get();
    }

    /**
     * Runs {@code work} with {@code id} as the {@value #MDC_KEY} MDC entry, then restores the entry
     * the thread had before.
     *
     * @param id request id; {@code null} runs {@code work} unchanged
     * @param work what to run
     * @param <T> its result type
     * @return what {@code work} returns; what it throws propagates
     */
    public static <T> T withMdc(String id, Supplier<T> work) {
        if (id == null) {
            return work.get();
        }
        Object previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /**
     * Runs {@code work} with {@code id} as the {@value #MDC_KEY} MDC entry, then restores it.
     *
     * @param id request id; {@code null} runs {@code work} unchanged
     * @param work what to run
     */
    public static void withMdc(String id, Runnable work) {
        withMdc(id, () -> {
            work.run();
            return null;
        });
    }

    /** @return {@link InterceptorOrder#REQUEST_ID} */
    @Override
    public int getPriority() {
        return InterceptorOrder.REQUEST_ID;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String given = headers.get(KEY);
        String id = given != null && VALID.matcher(given).matches() ? given : newId();
        ServerCall<Q, R> withHeader = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(KEY, id);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                withMdc(id, () -> super.close(status, trailers));
            }
        };
        ServerCall.Listener<Q> listener = withMdc(id,
                () -> Contexts.interceptCall(Context.current().withValue(CONTEXT_KEY, id), withHeader, headers, next));
        return new MdcListener<>(listener, id);
    }

    /**
     * A new request id: a random (version 4, RFC 9562 section 5.4) UUID in its 36-character text form.
     * Its bits come from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}'s {@code
     * SecureRandom}, which takes a lock per call: a request id correlates log lines and is no secret.
     *
     * @return the id, e.g. {@code 3f1c0d5e-9a4b-4c2e-8f00-1b2c3d4e5f60}
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (random.nextLong() & ~(0xC0L << 56)) | (0x80L << 56); // IETF variant
        return new UUID(msb, lsb).toString();
    }

    /** Sets the MDC around every callback of the next listener. */
    private static final class MdcListener<Q> extends SimpleForwardingServerCallListener<Q> {

        private final String id;

        MdcListener(ServerCall.Listener<Q> delegate, String id) {
            super(delegate);
            this.id = id;
        }

        @Override
        public void onMessage(Q message) {
            withMdc(id, () -> super.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            withMdc(id, super::onHalfClose);
        }

        @Override
        public void onCancel() {
            withMdc(id, super::onCancel);
        }

        @Override
        public void onComplete() {
            withMdc(id, super::onComplete);
        }

        @Override
        public void onReady() {
            withMdc(id, super::onReady);
        }
    }
}
