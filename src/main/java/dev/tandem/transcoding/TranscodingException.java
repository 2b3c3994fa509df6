package dev.tandem.transcoding;

import dev.tandem.error.HttpStatusMapping;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import io.grpc.Status.Code;

/**
 * A request the transcoder refuses before any RPC runs: no route, a bad path value, query
 * parameter or body. It carries the {@code google.rpc.Status} the client receives, and optionally an
 * HTTP status that overrides the code's usual one (405, 413, 415 have no {@code google.rpc.Code} of
 * their own).
 */
public final class TranscodingException extends RuntimeException {

    private final Code code;
    private final Status status;
    private final int httpStatus;

    private TranscodingException(Code code, Status status, int httpStatus) {
        super(status.getMessage(), null, false, false);
        this.code = code;
        this.status = status;
        this.httpStatus = httpStatus;
    }

    /**
     * A failure with a code and a message and no details.
     *
     * @param code the gRPC code; its HTTP status follows {@link HttpStatusMapping}
     * @param message for the client, no internals
     * @return the exception
     */
    public static TranscodingException of(Code code, String message) {
        return new TranscodingException(
                code, Status.newBuilder().setCode(code.value()).setMessage(message).build(), 0);
    }

    /**
     * {@code INVALID_ARGUMENT} with one {@code google.rpc.BadRequest} field violation.
     *
     * @param field the field path or parameter name at fault, e.g. {@code user.id}
     * @param description what is wrong with it
     * @return the exception, message {@code "<field>: <description>"}
     */
    public static TranscodingException invalidArgument(String field, String description) {
        BadRequest detail = BadRequest.newBuilder()
                .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(field)
                        .setDescription(description))
                .build();
        Status status = Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT.value())
                .setMessage(field + ": " + description)
                .addDetails(Any.pack(detail))
                .build();
        return new TranscodingException(Code.INVALID_ARGUMENT, status, 0);
    }

    /**
     * The same failure answered with another HTTP status.
     *
     * @param httpStatus e.g. 405, 413, 415
     * @return a new exception
     */
    public TranscodingException withHttpStatus(int httpStatus) {
        return new TranscodingException(code, status, httpStatus);
    }

    /** @return the gRPC code */
    public Code code() {
        return code;
    }

    /** @return the {@code google.rpc.Status} sent as the JSON body */
    public Status status() {
        return status;
    }

    /** @return the HTTP status: the override if one was set, else that of {@link #code()} */
    public int httpStatus() {
        return httpStatus != 0 ? httpStatus : HttpStatusMapping.httpStatus(code);
    }
}
