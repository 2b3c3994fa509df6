package dev.tandem.error;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * Builds every failure Tandem answers with, following AIP-193 (errors).
 *
 * <p>Each method returns a {@link StatusRuntimeException} made from a {@code google.rpc.Status} by
 * {@link StatusProto#toStatusRuntimeException(com.google.rpc.Status)}: the status code and message
 * travel as usual, and the whole {@code google.rpc.Status} with its details travels in the
 * {@code grpc-status-details-bin} trailer, where gRPC clients read it with
 * {@code StatusProto.fromThrowable(e)} and the REST transcoder turns it into the JSON error body.
 * Throw the result; a {@code @Transactional} method that throws it rolls back.
 *
 * <p>Messages are meant for API users: they never contain stack traces, SQL or class names.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * {@code NOT_FOUND} for a resource looked up by id, with a {@code google.rpc.ResourceInfo} detail
     * ({@code resource_type} = {@code type}, {@code resource_name} = {@code "<type>s/<id>"}).
     *
     * @param type singular resource type, e.g. {@code "user"}, {@code "item"}, {@code "order"}
     * @param id the id that was not found
     * @return e.g. {@code NOT_FOUND: user 42 not found}
     */
    public static StatusRuntimeException notFound(String type, long id) {
        String message = type + " " + id + " not found";
        return error(Code.NOT_FOUND, message, ResourceInfo.newBuilder()
                .setResourceType(type)
                .setResourceName(type + "s/" + id)
                .setDescription(message)
                .build());
    }

    /**
     * {@code INVALID_ARGUMENT} with a {@code google.rpc.BadRequest} detail. Prefer
     * {@link BadRequestBuilder#throwIfAny()}, which collects the violations first.
     *
     * @param badRequest at least one field violation
     * @return {@code INVALID_ARGUMENT} whose message lists the violated fields
     */
    public static StatusRuntimeException invalidArgument(BadRequest badRequest) {
        StringBuilder message = new StringBuilder("invalid request: ");
        for (int i = 0; i < badRequest.getFieldViolationsCount(); i++) {
            BadRequest.FieldViolation v = badRequest.getFieldViolations(i);
            message.append(i == 0 ? "" : "; ").append(v.getField()).append(' ').append(v.getDescription());
        }
        return error(Code.INVALID_ARGUMENT, message.toString(), badRequest);
    }

    /**
     * {@code INVALID_ARGUMENT} for a single bad field.
     *
     * @param field proto path of the field, e.g. {@code page_token}
     * @param description what is wrong with it
     * @return {@code INVALID_ARGUMENT} with a one-violation {@code google.rpc.BadRequest}
     */
    public static StatusRuntimeException invalidArgument(String field, String description) {
        return invalidArgument(new BadRequestBuilder().add(field, description).build());
    }

    /**
     * {@code ALREADY_EXISTS}, with a {@code google.rpc.ResourceInfo} detail naming the resource type.
     *
     * @param type singular resource type, e.g. {@code "user"}
     * @param description which uniqueness rule was broken, e.g. {@code "e-mail address is taken"}
     * @return e.g. {@code ALREADY_EXISTS: user already exists: e-mail address is taken}
     */
    public static StatusRuntimeException alreadyExists(String type, String description) {
        return error(Code.ALREADY_EXISTS, type + " already exists: " + description, ResourceInfo.newBuilder()
                .setResourceType(type)
                .setDescription(description)
                .build());
    }

    /**
     * {@code FAILED_PRECONDITION}: the request is valid but the system is not in a state that allows
     * it (e.g. AIP-135: deleting a user who still has orders without {@code force}). Carries a
     * {@code google.rpc.PreconditionFailure} detail.
     *
     * @param violationType machine-readable kind, e.g. {@code "ORDERS_EXIST"}
     * @param subject what the precondition is about, e.g. {@code "users/1"}
     * @param description how to satisfy it, for humans
     * @return {@code FAILED_PRECONDITION} with message {@code description}
     */
    public static StatusRuntimeException failedPrecondition(String violationType, String subject, String description) {
        return error(Code.FAILED_PRECONDITION, description, PreconditionFailure.newBuilder()
                .addViolations(PreconditionFailure.Violation.newBuilder()
                        .setType(violationType)
                        .setSubject(subject)
                        .setDescription(description))
                .build());
    }

    /**
     * {@code ABORTED}: a concurrency conflict the client resolves by reading again and retrying
     * (AIP-154 stale etag, AIP-193). Carries a {@code google.rpc.ErrorInfo} detail.
     *
     * @param reason UPPER_SNAKE_CASE reason, e.g. {@code "ETAG_MISMATCH"}
     * @param resource the resource name, e.g. {@code "users/7"}, as ErrorInfo metadata {@code
     *     resource}; empty: none
     * @param message for humans
     * @return {@code ABORTED} with ErrorInfo domain {@value #DOMAIN}
     */
    public static StatusRuntimeException aborted(String reason, String resource, String message) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
        if (!resource.isEmpty()) {
            info.putMetadata("resource", resource);
        }
        return error(Code.ABORTED, message, info.build());
    }

    /**
     * {@code UNAVAILABLE}: the database cannot be reached (or another dependency is down); the
     * request can be retried with backoff. Carries a {@code google.rpc.ErrorInfo} detail with reason
     * {@value #DATABASE_UNAVAILABLE} and a {@code google.rpc.RetryInfo} detail whose {@code
     * retry_delay} is {@link #DATABASE_RETRY_DELAY} (AIP-194: retry, after at least that delay). A write that failed
     * this way was not acknowledged; if the connection broke during its commit it may or may not
     * have been applied, so clients retry creates with an AIP-155 {@code request_id}.
     *
     * @return {@code UNAVAILABLE: database unavailable; retry later}
     */
    public static StatusRuntimeException databaseUnavailable() {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.UNAVAILABLE.getNumber())
                .setMessage("database unavailable; retry later")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(DATABASE_UNAVAILABLE).setDomain(DOMAIN).build()))
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(DATABASE_RETRY_DELAY).build()))
                .build());
    }

    /**
     * {@code UNAUTHENTICATED} (REST 401): the call carries no acceptable credentials. Carries a {@code
     * google.rpc.ErrorInfo} detail with {@code reason} and domain {@value #DOMAIN}. AIP-193; the
     * caller may retry with a (new) token.
     *
     * @param reason UPPER_SNAKE_CASE reason, e.g. {@code "TOKEN_EXPIRED"}
     * @param message for humans; never the token
     * @return {@code UNAUTHENTICATED} with message {@code message}
     */
    public static StatusRuntimeException unauthenticated(String reason, String message) {
        return error(Code.UNAUTHENTICATED, message, ErrorInfo.newBuilder()
                .setReason(reason)
                .setDomain(DOMAIN)
                .build());
    }

    /**
     * {@code PERMISSION_DENIED} (REST 403): the caller is known but lacks the role the RPC needs.
     * Carries a {@code google.rpc.ErrorInfo} detail with reason {@value #ROLE_MISSING} and metadata
     * {@code role} (the role that would allow it) and {@code method} (the full gRPC method name).
     *
     * @param role the missing role, e.g. {@code "writer"}
     * @param method e.g. {@code user.v1.UserService/CreateUser}
     * @return e.g. {@code PERMISSION_DENIED: user.v1.UserService/CreateUser needs role writer}
     */
    public static StatusRuntimeException permissionDenied(String role, String method) {
        return error(Code.PERMISSION_DENIED, method + " needs role " + role, ErrorInfo.newBuilder()
                .setReason(ROLE_MISSING)
                .setDomain(DOMAIN)
                .putMetadata("role", role)
                .putMetadata("method", method)
                .build());
    }

    /**
     * {@code DEADLINE_EXCEEDED} (REST 504): the call's deadline passed before it finished. Carries a
     * {@code google.rpc.ErrorInfo} detail with reason {@value #REQUEST_TIMEOUT} and metadata {@code
     * timeout} (ISO-8601, e.g. {@code PT30S}) and {@code limit}: {@code server} when it was the
     * server's longest allowed time ({@code tandem.limits.max-request-timeout}), {@code client} when
     * it was the client's own {@code grpc-timeout}. A write that ends this way may still commit
     * afterwards: retry creates with an AIP-155 {@code request_id}.
     *
     * @param timeout the time the call was given
     * @param serverLimit whether that was the server's limit rather than the client's deadline
     * @return e.g. {@code DEADLINE_EXCEEDED: the call did not finish within the server's limit of PT30S}
     */
    public static StatusRuntimeException deadlineExceeded(Duration timeout, boolean serverLimit) {
        String limit = serverLimit ? "server" : "client";
        return error(Code.DEADLINE_EXCEEDED, "the call did not finish within the " + limit
                        + (serverLimit ? "'s limit of " : "'s deadline of ") + timeout,
                ErrorInfo.newBuilder()
                        .setReason(REQUEST_TIMEOUT)
                        .setDomain(DOMAIN)
                        .putMetadata("timeout", timeout.toString())
                        .putMetadata("limit", limit)
                        .build());
    }

    /** {@code google.rpc.ErrorInfo.reason} of {@link #permissionDenied}. */
    public static final String ROLE_MISSING = "ROLE_MISSING";
    /** {@code google.rpc.ErrorInfo.reason} of {@link #deadlineExceeded}. */
    public static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";

    /** {@code google.rpc.ErrorInfo.domain} of Tandem's own reasons. */
    public static final String DOMAIN = "tandem.dev";
    /**
     * The {@code google.rpc.RetryInfo.retry_delay} of {@link #databaseUnavailable()}: one second, half
     * the pool's acquisition timeout ({@code quarkus.datasource.jdbc.acquisition-timeout}) and the
     * order of a database restart or failover.
     */
    public static final com.google.protobuf.Duration DATABASE_RETRY_DELAY =
            com.google.protobuf.Duration.newBuilder().setSeconds(1).build();

    /** {@code google.rpc.ErrorInfo.reason} of {@link #databaseUnavailable()}. */
    public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";

    /**
     * {@code INTERNAL} with a fixed, generic message and no details: what a caller sees for an
     * unexpected failure. The cause is logged on the server, never sent.
     *
     * @return {@code INTERNAL: internal error}
     */
    public static StatusRuntimeException internal() {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INTERNAL_VALUE)
                .setMessage("internal error")
                .build());
    }

    private static StatusRuntimeException error(Code code, String message, Message detail) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(detail))
                .build());
    }
}
