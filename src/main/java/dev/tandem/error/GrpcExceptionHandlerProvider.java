package dev.tandem.error;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Turns every failure of a gRPC method into the status a client may see. Replaces Quarkus's default
 * provider (a {@code @DefaultBean}).
 *
 * <ul>
 *   <li>A {@link StatusRuntimeException} or {@link StatusException} (anywhere in the cause chain),
 *       e.g. from {@link ApiErrors}, passes unchanged with its trailers, so the
 *       {@code grpc-status-details-bin} trailer and its {@code google.rpc.Status} details reach the
 *       client.</li>
 *   <li>A database connection failure ({@link DatabaseFailures#isConnectionFailure}: database down
 *       or unreachable, pool acquisition timeout) is {@link ApiErrors#databaseUnavailable()}
 *       ({@code UNAVAILABLE}, REST 503), logged as one WARN line without a stack trace.</li>
 *   <li>An optimistic lock failure that a service did not map itself ({@link
 *       DatabaseFailures#isOptimisticLockFailure}) is {@code ABORTED} (REST 409), reason {@code
 *       CONCURRENT_UPDATE}: the client reads again and retries (AIP-154).</li>
 *   <li>Anything else is unexpected: it is logged here with its stack trace and answered with
 *       {@link ApiErrors#internal()} ({@code INTERNAL: internal error}). Quarkus's default would
 *       answer {@code UNKNOWN} with the exception's class name and message, which can leak SQL,
 *       table names or other internals.</li>
 * </ul>
 *
 * Applies to Mutiny service methods ({@link #transform}) and to exceptions thrown while a call is
 * handled ({@link #createHandler}).
 */
@ApplicationScoped
public class GrpcExceptionHandlerProvider implements ExceptionHandlerProvider {

    private static final Logger LOG = Logger.getLogger(GrpcExceptionHandlerProvider.class);

    /**
     * Wraps a call's listener so that exceptions escaping it close the call with {@link #transform}'s
     * status and trailers.
     */
    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> call, Metadata headers) {
        return new ExceptionHandler<>(listener, call, headers) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> call, Metadata headers) {
                StatusException status = (StatusException) transform(failure);
                Metadata trailers = status.getTrailers() != null ? status.getTrailers() : new Metadata();
                try {
                    call.close(status.getStatus(), trailers);
                } catch (IllegalStateException alreadyClosed) {
                    LOG.debugf("call already closed when handling %s", failure);
                }
            }
        };
    }

    /**
     * Maps a failure to the {@link StatusException} sent to the client.
     *
     * @param failure whatever the service method failed with
     * @return the gRPC status failure found in the cause chain with its trailers; else {@code
     *     UNAVAILABLE} for a database connection failure, {@code ABORTED} for an optimistic lock
     *     failure, {@code INTERNAL: internal error} for anything else
     */
    @Override
    public Throwable transform(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusException e) {
                return e;
            }
            if (t instanceof StatusRuntimeException e) {
                return new StatusException(e.getStatus(), e.getTrailers());
            }
        }
        StatusRuntimeException answer;
        if (DatabaseFailures.isConnectionFailure(failure)) {
            LOG.warnf("Database unavailable; answering UNAVAILABLE: %s", failure);
            answer = ApiErrors.databaseUnavailable();
        } else if (DatabaseFailures.isOptimisticLockFailure(failure)) {
            LOG.debugf("Concurrent update; answering ABORTED: %s", failure);
            answer = ApiErrors.aborted("CONCURRENT_UPDATE", "", "the resource was changed by a concurrent request; read it again and retry");
        } else {
            LOG.error("Unexpected failure in a gRPC call; answering INTERNAL", failure);
            answer = ApiErrors.internal();
        }
        return new StatusException(answer.getStatus(), answer.getTrailers());
    }
}
