package dev.tandem.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.StaleObjectStateException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Which database failures become {@code UNAVAILABLE} and {@code ABORTED} instead of {@code INTERNAL}
 * ({@link DatabaseFailures}, {@link dev.tandem.rpc.ErrorMapping}); the real outage is {@code
 * dev.tandem.reliability.DatabaseFaultIT}.
 */
class DatabaseFailuresTest {

    private Status.Code mapped(Throwable failure) {
        return dev.tandem.rpc.ErrorMapping.toStatus(failure).getStatus().getCode();
    }

    @Test
    void connectionFailuresAreUnavailable() {
        Throwable[] failures = {
            new PersistenceException(new JDBCConnectionException("Unable to acquire JDBC Connection",
                    new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))),
            new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE),
            new SQLException("terminating connection due to administrator command", "57P01"),
            new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection",
                    new ConnectException("refused"))),
            new SQLException("Sorry, acquisition timeout!"),
            new SQLTransientConnectionException("gone"),
            commitFailedOnALostConnection(),
        };
        for (Throwable f : failures) {
            assertTrue(DatabaseFailures.isConnectionFailure(f), f::toString);
            assertEquals(Status.Code.UNAVAILABLE, mapped(f), f::toString);
        }
    }

    /**
     * What Narayana throws when PostgreSQL goes away during the commit (seen in TwoReplicasIT): the
     * JDBC failure is only the cause of an XAException suppressed by the RollbackException.
     */
    private static Throwable commitFailedOnALostConnection() {
        jakarta.transaction.RollbackException rollback =
                new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.");
        javax.transaction.xa.XAException xa = new javax.transaction.xa.XAException(
                "Error trying to transactionCommit local transaction: An I/O error occurred while sending to the backend.");
        xa.initCause(new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE));
        rollback.addSuppressed(xa);
        return new RuntimeException("Error invoking subclass method", rollback);
    }

    @Test
    void optimisticLockFailuresAreAborted() {
        Throwable f = new OptimisticLockException(new StaleObjectStateException("UserEntity", 1));
        assertTrue(DatabaseFailures.isOptimisticLockFailure(f));
        assertEquals(Status.Code.ABORTED, mapped(f));
    }

    @Test
    void otherDatabaseErrorsStayInternal() {
        Throwable f = new PersistenceException(new PSQLException("syntax error", PSQLState.SYNTAX_ERROR));
        assertFalse(DatabaseFailures.isConnectionFailure(f));
        assertFalse(DatabaseFailures.isOptimisticLockFailure(f));
        assertEquals(Status.Code.INTERNAL, mapped(f));
    }
}
