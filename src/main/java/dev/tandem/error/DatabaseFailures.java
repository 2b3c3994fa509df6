package dev.tandem.error;

import jakarta.persistence.OptimisticLockException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.function.Predicate;
import org.hibernate.StaleStateException;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Classifies failures that come from the database rather than from the request, so that {@link
 * dev.tandem.rpc.ErrorMapping} answers them with a status a client can act on instead of {@code
 * INTERNAL}:
 *
 * <ul>
 *   <li>{@link #isConnectionFailure}: the database is down or unreachable, or the pool could not
 *       hand out a connection in time: {@code UNAVAILABLE} (REST 503).</li>
 *   <li>{@link #isOptimisticLockFailure}: a versioned row changed between read and write (AIP-154):
 *       {@code ABORTED} (REST 409).</li>
 * </ul>
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Whether {@code failure} (anywhere in its cause chain) means "no working database connection":
     * Hibernate's {@link JDBCConnectionException}; JDBC's {@link SQLTransientConnectionException},
     * {@link SQLNonTransientConnectionException} and {@link SQLRecoverableException}; any {@link
     * SQLException} whose SQLState is of class {@code 08} (connection exception, e.g. PostgreSQL's
     * {@code 08001} cannot connect, {@code 08006} connection failure), of class {@code 53}
     * (insufficient resources: {@code 53300} too many connections, for the server or for Tandem's
     * role, {@code 53100} disk full, {@code 53200} out of memory, {@code 53400} configuration limit
     * exceeded), {@code 57P01}..{@code 57P03} (the server is shutting down or starting) or {@code
     * 57P05} (idle session timeout; SQLState codes from PostgreSQL's Appendix A); Agroal's acquisition timeout ({@code "Acquisition
     * timeout ..."}, {@code "Sorry, acquisition timeout!"}, plain {@code SQLException}s); and socket
     * connect or read timeouts. Causes and suppressed exceptions are searched (a failed JTA commit
     * holds the connection failure in a suppressed {@code XAException}).
     *
     * @param failure any exception
     * @return true when the database, not the request, is the problem
     */
    public static boolean isConnectionFailure(Throwable failure) {
        return anyInChain(failure, DatabaseFailures::isConnectionFailureItself, 0);
    }

    private static boolean isConnectionFailureItself(Throwable t) {
        if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
                || t instanceof ConnectException || t instanceof SocketTimeoutException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0"))) {
                return true;
            }
            String message = sql.getMessage();
            return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        return false;
    }

    /**
     * Whether {@code test} holds for {@code failure}, a cause of it, or an exception suppressed by
     * any of them: a failed JTA commit ({@code RollbackException}) carries the JDBC failure only as a
     * suppressed {@code XAException}'s cause. At most 8 levels of suppressed exceptions are followed.
     */
    private static boolean anyInChain(Throwable failure, Predicate<Throwable> test, int depth) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
            if (depth < 8) {
                for (Throwable s : t.getSuppressed()) {
                    if (anyInChain(s, test, depth + 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} is an optimistic lock failure: JPA's {@link OptimisticLockException} or
     * Hibernate's {@link StaleStateException} (an {@code UPDATE}/{@code DELETE ... where version = ?}
     * that matched no row).
     *
     * @param failure any exception
     * @return true when a concurrent write got there first
     */
    public static boolean isOptimisticLockFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
