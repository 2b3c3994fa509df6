package dev.tandem.error;

import io.grpc.Status.Code;

/**
 * The HTTP status of each gRPC code, as given in the comments of {@code google/rpc/code.proto} and
 * applied by grpc-gateway and Envoy's transcoder.
 */
public final class HttpStatusMapping {

    private HttpStatusMapping() {}

    /**
     * @param code a gRPC status code
     * @return its HTTP status, 200 to 504
     */
    public static int httpStatus(Code code) {
        return switch (code) {
            case OK -> 200;
            // 499 is nginx's "client closed request"; code.proto names it for CANCELLED.
            case CANCELLED -> 499;
            case UNKNOWN -> 500;
            case INVALID_ARGUMENT -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case PERMISSION_DENIED -> 403;
            // Not 503: the caller, not the server, exhausted a quota or a rate limit.
            case RESOURCE_EXHAUSTED -> 429;
            // Not 412: code.proto maps it to 400; 412 is for HTTP preconditions such as If-Match.
            case FAILED_PRECONDITION -> 400;
            // A concurrency conflict, e.g. a stale etag: the same 409 as ALREADY_EXISTS.
            case ABORTED -> 409;
            case OUT_OF_RANGE -> 400;
            case UNIMPLEMENTED -> 501;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
            // Unrecoverable data loss is still the server's fault.
            case DATA_LOSS -> 500;
            case UNAUTHENTICATED -> 401;
        };
    }

    /**
     * The code of an HTTP error that the HTTP layer answers before any RPC exists (a malformed
     * request, an unknown route, a failure inside the HTTP server), so that its body can be a {@code
     * google.rpc.Status} too: the inverse of {@link #httpStatus} where that is unique, else the
     * nearest code.
     *
     * @param httpStatus an HTTP status, 400 to 599
     * @return {@code UNAUTHENTICATED} (401), {@code PERMISSION_DENIED} (403), {@code NOT_FOUND} (404),
     *     {@code UNIMPLEMENTED} (405, 501, 505), {@code DEADLINE_EXCEEDED} (408, 504), {@code ABORTED}
     *     (409), {@code FAILED_PRECONDITION} (412), {@code RESOURCE_EXHAUSTED} (413, 429, 431), {@code
     *     CANCELLED} (499), {@code UNAVAILABLE} (502, 503), other 4xx {@code INVALID_ARGUMENT} (400,
     *     411, 414, ...), other 5xx {@code INTERNAL}
     */
    public static Code code(int httpStatus) {
        return switch (httpStatus) {
            case 401 -> Code.UNAUTHENTICATED;
            case 403 -> Code.PERMISSION_DENIED;
            case 404 -> Code.NOT_FOUND;
            case 405, 501, 505 -> Code.UNIMPLEMENTED;
            case 408, 504 -> Code.DEADLINE_EXCEEDED;
            case 409 -> Code.ABORTED;
            case 412 -> Code.FAILED_PRECONDITION;
            case 413, 429, 431 -> Code.RESOURCE_EXHAUSTED;
            case 499 -> Code.CANCELLED;
            case 502, 503 -> Code.UNAVAILABLE;
            default -> httpStatus >= 400 && httpStatus < 500 ? Code.INVALID_ARGUMENT : Code.INTERNAL;
        };
    }
}
