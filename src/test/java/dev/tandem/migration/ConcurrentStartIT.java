package dev.tandem.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.PackagedApp;
import dev.tandem.TestDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several replicas starting at once against an empty database, as a first rollout does: two
 * instances of the packaged application (the Deployment's replicas) start together, prod profile,
 * {@code quarkus.flyway.migrate-at-start=true}, demo data on. Flyway takes a PostgreSQL advisory
 * lock around its migrate, so whichever comes second waits, then finds the schema up to date: every
 * instance becomes ready, each migration is applied exactly once and none failed, and the demo
 * rows exist once. (Whether the two migrations actually overlap in time depends on how fast each
 * JVM reaches Flyway; the outcome asserted here must hold either way.)
 */
class ConcurrentStartIT {

    private static final String DB_SUFFIX = "concurrent_it";
    private static final String DB_URL = TestDb.scratchUrl(DB_SUFFIX);

    @Test
    void twoReplicasMigrateOneEmptyDatabaseOnce() throws Exception {
        TestDb.freshScratch(DB_SUFFIX);
        List<PackagedApp> apps = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                apps.add(PackagedApp.start(Path.of("target", "concurrent-start-it", "replica-" + i), PackagedApp.freePort(), Map.of(
                        "QUARKUS_PROFILE", "prod",
                        "TANDEM_AUTH_ENABLED", "false", // about migrations; auth: ProductionSecurityIT
                        "QUARKUS_DATASOURCE_JDBC_URL", DB_URL,
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "TANDEM_DEMO_DATA_ENABLED", "true")));
            }
            for (PackagedApp app : apps) {
                app.awaitReady(Duration.ofSeconds(120));
                // its first call is cold: on a loaded machine it took longer than PackagedApp.get's 5 s timeout
                int status = -1;
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); status != 200 && System.nanoTime() < end;) {
                    status = app.get("/v1/users/1");
                }
                assertEquals(200, status, "replica on " + app.port() + " serves the demo user");
            }
        } finally {
            for (PackagedApp app : apps) {
                app.close();
            }
        }
        Map<String, Integer> applied = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(DB_URL, "postgres", ""); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select coalesce(version, description), count(*), bool_and(success)"
                    + " from flyway_schema_history where type <> 'SCHEMA' group by 1 order by 1")) {
                while (r.next()) {
                    assertTrue(r.getBoolean(3), "migration " + r.getString(1) + " succeeded");
                    applied.put(r.getString(1), r.getInt(2));
                }
            }
            assertEquals(expectedMigrations(), applied, "each migration applied once");
            assertEquals(1, count(s, "select count(*) from users where email = 'petar.petrovic@gmail.com'"));
        }
    }

    /**
     * Every versioned migration of {@code src/main/resources/db/migration} (V&lt;version&gt;__*.sql)
     * and the repeatable demo data, each applied once.
     */
    private static Map<String, Integer> expectedMigrations() throws java.io.IOException {
        Map<String, Integer> expected = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V[0-9.]+__.*\\.sql"))
                    .forEach(n -> expected.put(n.substring(1, n.indexOf("__")), 1));
        }
        expected.put("demo data", 1);
        return expected;
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
