package dev.tandem;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Plain-JDBC look at the test database, independent of Hibernate (and of its statistics). */
@ApplicationScoped
public class TestDb {

    @Inject
    AgroalDataSource dataSource;

    /** @return the number of rows of {@code table} */
    public long count(String table) {
        return single("select count(*) from " + table);
    }

    /** @return the value of the first column of the first row of {@code sql} */
    public long single(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a data-changing statement.
     *
     * @param sql e.g. an {@code insert ... select generate_series(...)}
     * @return the number of rows changed
     */
    public int update(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A fingerprint of every row of users, item and orders (md5 of their text forms, by id), for
     * "a rejected request writes nothing": equal fingerprints before and after.
     */
    public String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String table : new String[] {"users", "item", "orders"}) {
            all.append(text("select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by id), '')) from "
                    + table + " t")).append(' ');
        }
        return all.toString();
    }

    private String text(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return an e-mail address no other test uses */
    public static String uniqueEmail() {
        return "t-" + UUID.randomUUID() + "@example.com";
    }
}
