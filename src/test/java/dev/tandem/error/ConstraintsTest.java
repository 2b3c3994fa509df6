package dev.tandem.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestDb;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link Constraints} recognises the constraint names PostgreSQL reports for the real schema. */
@QuarkusTest
class ConstraintsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void recognisesTheCaseInsensitiveEmailIndex() {
        String email = TestDb.uniqueEmail();
        SQLException e = assertThrows(SQLException.class, () -> execute(
                "insert into users (first_name, last_name, email) values ('a', 'b', '" + email + "')",
                "insert into users (first_name, last_name, email) values ('c', 'd', '" + email.toUpperCase() + "')"));
        assertTrue(Constraints.isViolation(new RuntimeException(e), Constraints.USERS_EMAIL_UNIQUE));
        assertFalse(Constraints.isViolation(e, Constraints.ORDERS_USER_FK));
    }

    @Test
    void recognisesTheOrderForeignKeys() {
        SQLException user = assertThrows(SQLException.class, () -> execute(
                "insert into orders (user_id, item_id, order_date, amount) values (999999, 1, now(), 1)"));
        assertEquals(Constraints.ORDERS_USER_FK, Constraints.violated(user).orElseThrow());
        SQLException item = assertThrows(SQLException.class, () -> execute(
                "insert into orders (user_id, item_id, order_date, amount) values (1, 999999, now(), 1)"));
        assertEquals(Constraints.ORDERS_ITEM_FK, Constraints.violated(item).orElseThrow());
    }

    @Test
    void nothingForOtherFailures() {
        assertTrue(Constraints.violated(new IllegalStateException("boom")).isEmpty());
    }

    /** Runs the statements in one transaction that is always rolled back. */
    private void execute(String... sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String each : sql) {
                    s.execute(each);
                }
            } finally {
                c.rollback();
            }
        }
    }
}
