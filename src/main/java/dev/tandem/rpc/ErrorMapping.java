package dev.tandem.rpc;

import dev.tandem.error.ApiErrors;
import dev.tandem.error.DatabaseFailures;
import io.grpc.Metadata;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/**
 * Turns whatever a service method throws into the status a client may see, for every protocol
 * (applied by {@link CallGuard} and {@link OffloadingHandler} to every registered method):
 *
 * <ul>
 *   <li>a {@link StatusRuntimeException} or {@link StatusException} anywhere in the cause chain,
 *       e.g. from {@link ApiErrors}, passes unchanged with its trailers, so the {@code
 *       grpc-status-details-bin} trailer and its {@code google.rpc.Status} details reach the
 *       client;</li>
 *   <li>a database failure that means "cannot serve this now" ({@link
 *       DatabaseFailures#isConnectionFailure}: database down or unreachable, pool acquisition
 *       timeout) is {@link ApiErrors#databaseUnavailable()} ({@code UNAVAILABLE}, REST 503), logged as
 *       one WARN line without a stack trace;</li>
 *   <li>an optimistic lock failure a service did not map itself ({@link
 *       DatabaseFailures#isOptimisticLockFailure}) is {@code ABORTED} (REST 409), reason {@code
 *       CONCURRENT_UPDATE} (AIP-154: read again and retry);</li>
 *   <li>anything else is unexpected: logged here with its stack trace and answered {@link
 *       ApiErrors#internal()} ({@code INTERNAL: internal error}), never with the exception's
 *       message, which can hold SQL, table names or other internals.</li>
 * </ul>
 */
public final class ErrorMapping {

    private static final Logger LOG = Logger.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    /**
     * @param failure what a service method threw
     * @return the status and trailers to close the call with; never OK
     */
    public static StatusException toStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusException e) {
                return e;
            }
            if (t instanceof StatusRuntimeException e) {
                return new StatusException(e.getStatus(), e.getTrailers() != null ? e.getTrailers() : new Metadata());
            }
        }
        StatusRuntimeException answer;
        if (DatabaseFailures.isConnectionFailure(failure)) {
            LOG.warnf("Database unavailable; answering UNAVAILABLE: %s", failure);
            answer = ApiErrors.databaseUnavailable();
        } else if (DatabaseFailures.isOptimisticLockFailure(failure)) {
            LOG.debugf("Concurrent update; answering ABORTED: %s", failure);
            answer = ApiErrors.aborted("CONCURRENT_UPDATE", "",
                    "the resource was changed by a concurrent request; read it again and retry");
        } else {
            LOG.error("Unexpected failure in an RPC; answering INTERNAL", failure);
            answer = ApiErrors.internal();
        }
        return new StatusException(answer.getStatus(), answer.getTrailers());
    }
}
