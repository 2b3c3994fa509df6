package dev.tandem.error;

import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Names of the database constraints (see {@code db/migration/V1__schema.sql} and {@code V3__etags_and_request_ids.sql}) and a way to tell
 * which one a failed write violated, so services can map a race the database caught (two requests
 * passing the same pre-check) to the same gRPC status as the pre-check.
 */
public final class Constraints {

    /** Unique index on {@code lower(users.email)}: e-mail addresses are unique, case-insensitively. */
    public static final String USERS_EMAIL_UNIQUE = "users_email_lower_uq";
    /** Unique index on {@code users.request_id} (V3): one user per AIP-155 request id. */
    public static final String USERS_REQUEST_ID_UNIQUE = "users_request_id_uq";
    /** Unique index on {@code orders.request_id} (V3): one order per AIP-155 request id. */
    public static final String ORDERS_REQUEST_ID_UNIQUE = "orders_request_id_uq";
    /** Foreign key {@code orders.user_id -> users.id}. */
    public static final String ORDERS_USER_FK = "orders_user_fk";
    /** Foreign key {@code orders.item_id -> item.id}. */
    public static final String ORDERS_ITEM_FK = "orders_item_fk";

    private Constraints() {
    }

    /**
     * The name of the constraint whose violation caused {@code failure}, looked up along the cause
     * chain (PostgreSQL's own report first, then Hibernate's).
     *
     * @param failure any exception, e.g. from {@code flush()}
     * @return the constraint name as PostgreSQL reports it, or empty when no constraint was violated
     */
    public static Optional<String> violated(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException psql) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                if (server != null && server.getConstraint() != null) {
                    return Optional.of(server.getConstraint());
                }
            }
            if (t instanceof ConstraintViolationException hibernate && hibernate.getConstraintName() != null) {
                return Optional.of(hibernate.getConstraintName());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code failure} was caused by a violation of the named constraint.
     *
     * @param failure any exception
     * @param constraint one of the constants of this class
     * @return true when the database reported exactly that constraint
     */
    public static boolean isViolation(Throwable failure, String constraint) {
        return violated(failure).filter(constraint::equalsIgnoreCase).isPresent();
    }
}
