package dev.tandem.rpc;

/**
 * The priorities of Tandem's {@code @GlobalInterceptor}s, in one place, so their order is
 * deliberate. Quarkus (and the REST facade's in-process server, which applies the same beans) calls
 * the interceptor with the <em>highest</em> priority first: it sees every call before the others and
 * the call's close last.
 *
 * <p>Outermost to innermost, with Quarkus's own for reference: Quarkus's duplicated-context ({@code
 * Integer.MAX_VALUE - 5}) and request-context ({@code MAX_VALUE - 50}) interceptors, then {@link
 * #REQUEST_ID}, {@link #RPC_METRICS}, {@link #DRAIN}, {@link #AUTH}, {@link #ETAG}, {@link
 * #DEADLINE}, {@link #VALIDATION}, then Quarkus's exception handler ({@code MAX_VALUE - 70}),
 * Quarkus's security interceptor ({@code MAX_VALUE - 100}, which has no mechanism to run here), then
 * unprioritised interceptors (priority 0, e.g. OpenTelemetry's) and the service.
 *
 * <p>Why in this order:
 *
 * <ul>
 *   <li>the metrics interceptor sees the request id, and counts every call, also those that the
 *       drain interceptor refuses or the auth interceptor rejects ({@code UNAUTHENTICATED}, {@code
 *       PERMISSION_DENIED}), and records the status the exception handler produced;
 *   <li>drain is outside auth: a server that is shutting down refuses every new call the same way,
 *       whoever makes it, and spends no time verifying tokens;
 *   <li>auth is outside everything that reads the request or touches data (etag preconditions, the
 *       deadline cap, validation, the service): a caller who is not allowed learns nothing about
 *       the request's validity or the resource's state, only {@code UNAUTHENTICATED} or {@code
 *       PERMISSION_DENIED}.
 * </ul>
 */
public final class InterceptorOrder {

    /** {@code dev.tandem.observability.RequestIdInterceptor}: request id and logging MDC. */
    public static final int REQUEST_ID = Integer.MAX_VALUE - 60;

    /** {@code dev.tandem.observability.RpcMetricsInterceptor}: per-RPC count, latency and call log. */
    public static final int RPC_METRICS = Integer.MAX_VALUE - 61;

    /** {@code dev.tandem.shutdown.DrainInterceptor}: refuses new calls while the server shuts down. */
    public static final int DRAIN = Integer.MAX_VALUE - 62;

    /**
     * {@code dev.tandem.security.AuthInterceptor}: bearer token and role per RPC. Inside the drain
     * interceptor, outside everything that looks at the request.
     */
    public static final int AUTH = Integer.MAX_VALUE - 63;

    /**
     * {@code dev.tandem.aip.EtagInterceptor}: {@code if-match} in, {@code etag} out (AIP-154).
     * Inside the drain and auth interceptors, so a refused or rejected call never reaches it.
     */
    public static final int ETAG = Integer.MAX_VALUE - 64;

    /**
     * {@code dev.tandem.limits.DeadlineInterceptor}: caps the call's deadline at {@code
     * tandem.limits.max-request-timeout}. Inside auth, so a rejected call is not timed.
     */
    public static final int DEADLINE = Integer.MAX_VALUE - 65;

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
