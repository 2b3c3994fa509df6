package dev.tandem;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
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

    /**
     * @return the JDBC URL of the tests' database: {@code TANDEM_TEST_DB_URL}, else the {@code %test}
     *     profile's default
     */
    public static String url() {
        return System.getenv().getOrDefault("TANDEM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    /**
     * @param suffix what the database is for, e.g. {@code shutdown_it}
     * @return the name of a database of a test's own: the tests' database name, {@code _} and the
     *     suffix, so that checkouts with databases of their own ({@code TANDEM_TEST_DB_URL}) never
     *     share it
     */
    public static String scratchName(String suffix) {
        String url = url();
        return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\W", "") + "_" + suffix;
    }

    /** @return the JDBC URL of {@link #scratchName(String)} on the tests' PostgreSQL */
    public static String scratchUrl(String suffix) {
        String url = url();
        return url.substring(0, url.lastIndexOf('/') + 1) + scratchName(suffix);
    }

    /**
     * Drops (with {@code FORCE}) and creates the database {@link #scratchName(String)}, connected
     * as {@code postgres} to the tests' database.
     *
     * @return its JDBC URL
     */
    public static String freshScratch(String suffix) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + scratchName(suffix) + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + scratchName(suffix));
        }
        return scratchUrl(suffix);
    }

    /** @return an e-mail address no other test uses */
    public static String uniqueEmail() {
        return "t-" + UUID.randomUUID() + "@example.com";
    }
}
