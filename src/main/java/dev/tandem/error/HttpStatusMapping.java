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
}
