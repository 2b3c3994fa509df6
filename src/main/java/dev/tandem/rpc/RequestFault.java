package dev.tandem.rpc;

import io.grpc.Status;

/**
 * What a protocol edge delivers to a call's listener in place of a request message it could not
 * read: a frame larger than the limit ({@code RESOURCE_EXHAUSTED}), a compressed frame it cannot
 * decompress or whose inflated size is over the limit, a frame that is not a valid message ({@code
 * INVALID_ARGUMENT}). {@link CallGuard}, just inside the interceptors, closes the call with {@link
 * #status()}, so every interceptor (metrics, request id) sees the failure as the call's outcome, as
 * for any other failed call.
 *
 * <p>Interceptors that read request messages pass anything that is not a {@code
 * com.google.protobuf.Message} on unchanged (a {@code null} is the other such value: a message the
 * method's marshaller could not parse).
 *
 * @param status the status to close the call with, not OK
 */
public record RequestFault(Status status) {
}
