package dev.tandem.reliability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A test profile whose application connects to PostgreSQL as a role of its own, {@code
 * tandem_limited_<database>}, which is not a superuser, so that {@code ALTER ROLE ... CONNECTION
 * LIMIT} binds it (superusers are exempt) and PostgreSQL refuses its new connections with SQLState
 * {@code 53300}, as a server at {@code max_connections} does, without touching the server's
 * settings or any other client. The role inherits the privileges of {@code postgres} (it owns
 * nothing else), so Flyway can clean and migrate the test database. The resource creates the role
 * before the application starts and drops it, with what it owns, when the application stops.
 */
public class LimitedRole implements QuarkusTestProfile {

    /** The JDBC URL of the test database, as application.properties reads it. */
    static final String URL = System.getenv().getOrDefault("TANDEM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    /** The role's name. */
    static final String ROLE = "tandem_limited_" + URL.substring(URL.lastIndexOf('/') + 1).replaceAll("\\W", "_");

    /** Connections of the application's pool in this profile. */
    static final int POOL_SIZE = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.username", ROLE,
                "quarkus.datasource.jdbc.max-size", String.valueOf(POOL_SIZE),
                "tandem.rpc.worker-threads", String.valueOf(POOL_SIZE));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    /**
     * Runs SQL as {@code postgres} on the test database.
     *
     * @param sql statements
     */
    static void asPostgres(String... sql) {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates and drops the role. */
    public static class Resource implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            stop();
            // a member of postgres, which owns the tables; the schema public belongs to the database's
            // owner (PostgreSQL 15), which need not be postgres (on the CI machine it is root)
            asPostgres("create role " + ROLE + " login connection limit -1 in role postgres",
                    "grant usage, create on schema public to " + ROLE);
            return Map.of();
        }

        @Override
        public void stop() {
            asPostgres("do $$ begin if exists (select from pg_roles where rolname = '" + ROLE + "') then "
                    + "execute 'reassign owned by " + ROLE + " to postgres'; execute 'drop owned by " + ROLE + "'; "
                    + "execute 'drop role " + ROLE + "'; end if; end $$");
        }
    }
}
