package dev.tandem.grpc;

/**
 * The priorities of Tandem's {@code @GlobalInterceptor}s, in one place, so their order is
 * deliberate. Quarkus (and the REST facade's in-process server, which applies the same beans) calls
 * the interceptor with the <em>highest</em> priority first: it sees every call before the others and
 * the call's close last.
 *
 * <p>Outermost to innermost, with Quarkus's own for reference: Quarkus's duplicated-context ({@code
 * Integer.MAX_VALUE - 5}) and request-context ({@code MAX_VALUE - 50}) interceptors, then {@link
 * #REQUEST_ID}, {@link #RPC_METRICS}, {@link #DRAIN}, {@link #ETAG}, {@link #VALIDATION}, then
 * Quarkus's exception handler ({@code MAX_VALUE - 70}), then unprioritised interceptors (priority 0,
 * e.g. OpenTelemetry's) and the service. So the metrics interceptor sees the request id, counts
 * calls that the drain or the validation interceptor refuses, and records the status the exception
 * handler produced. {@link #VALIDATION} leaves room above it for issue 7's authentication, which
 * belongs outside validation: a caller learns nothing about the request rules before it is
 * authenticated.
 */
public final class InterceptorOrder {

    /** {@code dev.tandem.observability.RequestIdInterceptor}: request id and logging MDC. */
    public static final int REQUEST_ID = Integer.MAX_VALUE - 60;

    /** {@code dev.tandem.observability.RpcMetricsInterceptor}: per-RPC count, latency and call log. */
    public static final int RPC_METRICS = Integer.MAX_VALUE - 61;

    /** {@code dev.tandem.shutdown.DrainInterceptor}: refuses new calls while the server shuts down. */
    public static final int DRAIN = Integer.MAX_VALUE - 62;

    /**
     * {@code dev.tandem.concurrency.EtagInterceptor}: {@code if-match} in, {@code etag} out (AIP-154).
     * Inside the drain interceptor, so a refused call never reaches it.
     */
    public static final int ETAG = Integer.MAX_VALUE - 63;

    /**
     * {@code dev.tandem.validation.ValidationInterceptor}: protovalidate rules and {@code
     * google.api.field_behavior} (AIP-203) of every request, before the service sees it. Inside the
     * drain (and authentication) interceptors, so refused or unauthenticated calls are not validated;
     * outside Quarkus's exception handler, since it closes the call itself ({@code INVALID_ARGUMENT})
     * and never throws into it.
     */
    public static final int VALIDATION = Integer.MAX_VALUE - 66;

    private InterceptorOrder() {
    }
}
