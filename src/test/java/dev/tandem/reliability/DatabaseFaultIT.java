package dev.tandem.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.PackagedApp;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under the packaged application and comes back (issue 7, "Database
 * faults"). The test makes a private PostgreSQL cluster in {@code target/} ({@link PrivatePostgres}),
 * starts the packaged jar against it (prod profile, the shipped datasource settings), and:
 *
 * <ol>
 *   <li>writes users over gRPC and REST: every acknowledged write is remembered;</li>
 *   <li>crashes PostgreSQL ({@code pg_ctl stop -m immediate});</li>
 *   <li>asserts {@code /q/health/ready} goes DOWN (503) within {@value #READY_DOWN_BOUND_S} s;</li>
 *   <li>fires a burst of {@value #BURST} concurrent calls per protocol (reads and creates) and
 *       asserts each ends with {@code UNAVAILABLE} / 503 within {@value #FAIL_FAST_BOUND_MS} ms (the
 *       clients' own deadline, 10 s, would turn a hang into a different status);</li>
 *   <li>asserts the application's live threads did not pile up (at most {@value #THREAD_GROWTH}
 *       more than before the outage, after the burst);</li>
 *   <li>starts PostgreSQL again and asserts readiness is UP by itself within {@value
 *       #RECOVERY_BOUND_S} s and that calls on both protocols then succeed;</li>
 *   <li>checks that every acknowledged write is in the database.</li>
 * </ol>
 *
 * The cluster is stopped and deleted at the end, also on failure. Measured figures are printed
 * ({@code db-fault:} lines in the test output).
 */
class DatabaseFaultIT {

    private static final int BURST = 16;
    private static final long FAIL_FAST_BOUND_MS = 5_000;
    private static final int READY_DOWN_BOUND_S = 10;
    private static final int RECOVERY_BOUND_S = 30;
    private static final int THREAD_GROWTH = 40;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** One call's end: what it answered and after how long. */
    private record Outcome(String call, String result, long millis) {
    }

    @Test
    void readinessDownFailFastThenRecoveryWithoutLostWrites() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.create(Path.of("target", "db-fault-it", "pg"), PackagedApp.freePort())) {
            pg.start();
            try (Connection c = DriverManager.getConnection(pg.url("postgres"), "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("create database tandem");
            }
            int port = PackagedApp.freePort();
            try (PackagedApp app = PackagedApp.start(Path.of("target", "db-fault-it", "app"), port, Map.of(
                    "QUARKUS_PROFILE", "prod",
                    "TANDEM_AUTH_ENABLED", "false", // this test is about the database; auth: ProductionSecurityIT
                    "QUARKUS_DATASOURCE_JDBC_URL", pg.url("tandem"),
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "TANDEM_DEMO_DATA_ENABLED", "false",
                    "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"))) {
                app.awaitReady(Duration.ofSeconds(90));
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                try {
                    run(pg, app, channel);
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void run(PrivatePostgres pg, PackagedApp app, ManagedChannel channel) throws Exception {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(channel);
        int port = app.port();

        // 1. acknowledged writes, both protocols
        Map<Integer, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            User u = users.withDeadlineAfter(10, TimeUnit.SECONDS).createUser(newUser("grpc" + i));
            acknowledged.put(u.getId(), u.getEmail());
        }
        for (int i = 0; i < 5; i++) {
            String email = "rest" + i + "-" + UUID.randomUUID() + "@example.com";
            HttpResponse<String> r = post(port, "/v1/users",
                    "{\"firstName\":\"Rest\",\"lastName\":\"Write\",\"email\":\"" + email + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            acknowledged.put(Integer.parseInt(jsonField(r.body(), "id")), email);
        }
        int someId = acknowledged.keySet().iterator().next();
        long threadsBefore = liveThreads(port);

        // 2. crash the database
        long crashed = System.nanoTime();
        pg.crash();

        // 3. readiness DOWN
        long downMs = awaitReadiness(app, 503, READY_DOWN_BOUND_S);
        System.out.printf("db-fault: readiness DOWN %d ms after the crash%n", downMs);

        // 4. a burst of concurrent calls, each fails fast with UNAVAILABLE / 503
        List<Outcome> outcomes = burst(users, port, someId);
        long slowest = outcomes.stream().mapToLong(Outcome::millis).max().orElseThrow();
        System.out.printf("db-fault: %d calls during the outage, slowest %d ms, median %d ms%n", outcomes.size(),
                slowest, outcomes.stream().mapToLong(Outcome::millis).sorted().skip(outcomes.size() / 2).findFirst()
                        .orElseThrow());
        for (Outcome o : outcomes) {
            assertTrue(o.result().equals("UNAVAILABLE") || o.result().equals("503"), () -> "during the outage: " + o);
            assertTrue(o.millis() < FAIL_FAST_BOUND_MS, () -> "not fast: " + o);
        }
        // 5. no pile-up of threads
        long threadsAfter = liveThreads(port);
        System.out.printf("db-fault: live threads %d before the outage, %d after the burst%n", threadsBefore,
                threadsAfter);
        assertTrue(threadsAfter <= threadsBefore + THREAD_GROWTH, "threads piled up: " + threadsAfter);

        // 6. the database returns; the service recovers by itself
        pg.start();
        long restarted = System.nanoTime();
        long upMs = awaitReadiness(app, 200, RECOVERY_BOUND_S);
        System.out.printf("db-fault: readiness UP %d ms after PostgreSQL accepted connections again "
                + "(outage %d ms in all)%n", upMs, (System.nanoTime() - crashed) / 1_000_000);
        for (int i = 0; i < 10; i++) {
            assertEquals(someId, users.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getUserById(GetUserRequest.newBuilder().setId(someId).build()).getUser().getId());
            assertEquals(200, get(port, "/v1/users/" + someId).statusCode());
        }
        User after = users.withDeadlineAfter(5, TimeUnit.SECONDS).createUser(newUser("after"));
        acknowledged.put(after.getId(), after.getEmail());

        // 7. every acknowledged write is there
        try (Connection c = DriverManager.getConnection(pg.url("tandem"), "postgres", "");
                Statement s = c.createStatement()) {
            for (Map.Entry<Integer, String> w : acknowledged.entrySet()) {
                try (ResultSet r = s.executeQuery("select email from users where id = " + w.getKey())) {
                    assertTrue(r.next(), "acknowledged user " + w.getKey() + " lost");
                    assertEquals(w.getValue(), r.getString(1));
                }
            }
        }
        System.out.printf("db-fault: all %d acknowledged writes present (restart at %d ms)%n", acknowledged.size(),
                (restarted - crashed) / 1_000_000);
    }

    private List<Outcome> burst(UserServiceGrpc.UserServiceBlockingStub users, int port, int someId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BURST * 2);
        try {
            List<Callable<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                int n = i;
                calls.add(() -> timed("grpc " + (n % 2 == 0 ? "GetUserById" : "CreateUser"), () -> {
                    try {
                        if (n % 2 == 0) {
                            users.withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .getUserById(GetUserRequest.newBuilder().setId(someId).build());
                        } else {
                            users.withDeadlineAfter(10, TimeUnit.SECONDS).createUser(newUser("outage" + n));
                        }
                        return "OK";
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode().name();
                    }
                }));
                calls.add(() -> timed("rest " + (n % 2 == 0 ? "GET" : "POST"), () -> String.valueOf(n % 2 == 0
                        ? get(port, "/v1/users/" + someId).statusCode()
                        : post(port, "/v1/users", "{\"firstName\":\"Out\",\"lastName\":\"Age\",\"email\":\"o" + n
                                + "-" + UUID.randomUUID() + "@example.com\"}").statusCode())));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : pool.invokeAll(calls)) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome timed(String call, Callable<String> work) throws Exception {
        long t0 = System.nanoTime();
        String result = work.call();
        return new Outcome(call, result, (System.nanoTime() - t0) / 1_000_000);
    }

    private static long awaitReadiness(PackagedApp app, int status, int boundSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(boundSeconds);
        while (System.nanoTime() < end) {
            if (app.get("/q/health/ready") == status) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("/q/health/ready did not answer " + status + " within " + boundSeconds + " s");
    }

    private static CreateUserRequest newUser(String tag) {
        return CreateUserRequest.newBuilder().setFirstName("Fault").setLastName(tag)
                .setEmail(tag + "-" + UUID.randomUUID() + "@example.com").build();
    }

    private long liveThreads(int port) throws Exception {
        String metrics = get(port, "/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^jvm_threads_live_threads(?:\\{[^}]*})? ([0-9.eE+]+)").matcher(metrics);
        assertTrue(m.find(), "jvm_threads_live_threads in /q/metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jsonField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), () -> field + " in " + json);
        return m.group(1);
    }
}
