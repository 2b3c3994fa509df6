package dev.tandem.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ListenableFuture;
import dev.tandem.PackagedApp;
import dev.tandem.TestDb;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.observability.RequestIdInterceptor;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged application under load (the jar, started from the file layout of {@code
 * Dockerfile.jvm}; the native executable with {@code -Dnative}), in the prod profile, against a
 * database of its own on the local PostgreSQL.
 *
 * <p>There are no slow RPCs in the product, so the test makes some calls slow without changing the
 * product: it holds an {@code ACCESS EXCLUSIVE} lock on table {@code users} from its own JDBC
 * connection, so that {@code GetUserById} calls (6 over gRPC, 6 over REST) block inside the
 * application, in its database session, until the lock is released. Meanwhile 4 threads keep
 * calling {@code SayHello} (2 gRPC, 2 REST) without pause, and a {@code grpc.health.v1.Health/Watch}
 * stream is open. Then, with the 12 calls seen waiting in {@code pg_stat_activity}, SIGTERM:
 *
 * <ul>
 *   <li>readiness goes DOWN at once: {@code /q/health/ready} 503 within a second, gRPC health
 *       {@code Check} answers {@code NOT_SERVING} within a second, and the Watch stream receives
 *       {@code NOT_SERVING} or ends (then the test cancels it, as a client-side health check
 *       would; a stream nobody ends is cut when {@code quarkus.shutdown.timeout} runs out);
 *   <li>after {@code quarkus.shutdown.delay} (1 s here) new calls are refused: gRPC {@code
 *       UNAVAILABLE}, REST 503;
 *   <li>once the drain refuses the REST load, with the process alive and the 12 calls still
 *       waiting, the lock is released: every one of the 12 in-flight calls completes with
 *       the right answer, and so does every load call that started before SIGTERM; load calls
 *       started after it either succeed (in the delay) or are refused, nothing else;
 *   <li>the process exits by itself, through Quarkus's complete shutdown, well within {@code
 *       quarkus.shutdown.timeout} (20 s here), with status 143 (a JVM ended by SIGTERM after its
 *       shutdown hooks ran; 0 is accepted too); its console output is JSON, with the request id of
 *       each call in the MDC of the call log.
 * </ul>
 *
 * <p>The 12 gRPC calls held in flight share one connection with the gRPC load, which keeps opening
 * streams on it up to the moment it reads the GOAWAY: this is the race of RFC 9113, section 6.8,
 * that {@link EarlyGoAway} closes (a PING round trip after the first GOAWAY before Quarkus's second
 * one). Before that wait, a stream sent in between was ignored and the connection closed under the
 * held calls ({@code UNAVAILABLE: Connection closed after GOAWAY}) in about one run in five.
 */
class GracefulShutdownIT {

    private static final String DB_SUFFIX = "shutdown_it";
    private static final String DB = TestDb.scratchName(DB_SUFFIX);
    private static final String ADMIN_URL = TestDb.url();
    private static final String DB_URL = TestDb.scratchUrl(DB_SUFFIX);
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int IN_FLIGHT_PER_PROTOCOL = 6;
    /** Answered load calls of each protocol before SIGTERM. */
    private static final int LOAD_BEFORE = 5;

    /** What one load call ended with. */
    private record Outcome(String protocol, long startNanos, String result) {
    }

    @Test
    void sigtermDrainsInFlightCallsAndRefusesNewOnes() throws Exception {
        freshDatabase();
        int port = PackagedApp.freePort();
        Path work = Path.of("target", "shutdown-it");
        try (PackagedApp app = PackagedApp.start(work, port, Map.of(
                "QUARKUS_PROFILE", "prod",
                "TANDEM_AUTH_ENABLED", "false", // about the drain; auth: ProductionSecurityIT
                "QUARKUS_DATASOURCE_JDBC_URL", DB_URL,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "TANDEM_DEMO_DATA_ENABLED", "true",
                "QUARKUS_SHUTDOWN_DELAY", DELAY.toMillis() + "ms",
                "QUARKUS_SHUTDOWN_TIMEOUT", TIMEOUT.toSeconds() + "s",
                "TANDEM_OBSERVABILITY_CALL_LOG_ENABLED", "true"))) {
            app.awaitReady(Duration.ofSeconds(90));
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try {
                run(app, channel, http);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private void run(PackagedApp app, ManagedChannel channel, HttpClient http)
            throws Exception {
        int port = app.port();
        UserServiceGrpc.UserServiceFutureStub users = UserServiceGrpc.newFutureStub(channel);
        for (int i = 0; i < 20; i++) { // warm up both paths
            users.getUserById(GetUserRequest.newBuilder().setId(1).build()).get(10, TimeUnit.SECONDS);
            assertEquals(200, restGet(http, port, "/v1/users/1", null).statusCode());
        }

        // a stream, open across the shutdown
        List<ServingStatus> watched = new CopyOnWriteArrayList<>();
        CompletableFuture<Status> watchEnd = new CompletableFuture<>();
        io.grpc.Context.CancellableContext watchContext = io.grpc.Context.current().withCancellation();
        watchContext.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("").build(),
                new StreamObserver<HealthCheckResponse>() {
                    @Override
                    public void onNext(HealthCheckResponse r) {
                        watched.add(r.getStatus());
                    }

                    @Override
                    public void onError(Throwable t) {
                        watchEnd.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        watchEnd.complete(Status.OK);
                    }
                }));

        // load: SayHello without pause on both protocols until the process is gone
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            load.add(new Thread(() -> grpcLoad(channel, stop, outcomes), "grpc-load-" + t));
            load.add(new Thread(() -> restLoad(http, port, stop, outcomes), "rest-load-" + t));
        }
        for (Thread t : load) {
            t.start();
        }

        try (Connection lock = DriverManager.getConnection(DB_URL, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            }
            List<ListenableFuture<GetUserResponse>> grpcInFlight = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> restInFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT_PER_PROTOCOL; i++) {
                Metadata md = new Metadata();
                md.put(RequestIdInterceptor.KEY, "inflight-grpc-" + i);
                grpcInFlight.add(users.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                        .withDeadlineAfter(60, TimeUnit.SECONDS)
                        .getUserById(GetUserRequest.newBuilder().setId(1).build()));
                restInFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/users/1"))
                        .header("X-Request-Id", "inflight-rest-" + i).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            awaitWaitingOnLock(2 * IN_FLIGHT_PER_PROTOCOL);
            // the load runs on both protocols before SIGTERM: LOAD_BEFORE answered calls of each
            awaitTrue(() -> answered(outcomes, "grpc") >= LOAD_BEFORE && answered(outcomes, "rest") >= LOAD_BEFORE,
                    Duration.ofSeconds(60), "load answered on both protocols");

            long sigterm = System.nanoTime();
            app.sigterm();

            long readyDown = -1;
            while (System.nanoTime() - sigterm < TimeUnit.SECONDS.toNanos(5)) {
                if (app.get("/q/health/ready") == 503) {
                    readyDown = System.nanoTime() - sigterm;
                    break;
                }
                Thread.sleep(20);
            }
            long readyDownMs = TimeUnit.NANOSECONDS.toMillis(readyDown);
            assertTrue(readyDown >= 0 && readyDownMs < 1000, "readiness DOWN within 1 s of SIGTERM, took " + readyDownMs + " ms");
            // gRPC health: Check (what a Kubernetes gRPC probe calls) answers NOT_SERVING at once
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            awaitTrue(() -> health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.newBuilder().setService("").build())
                    .getStatus() == ServingStatus.NOT_SERVING, Duration.ofSeconds(1), "Check answers NOT_SERVING");
            // Watch (client-side health checking) either streams NOT_SERVING or ends: Quarkus's Watch feeds
            // the stream from a Mutiny BroadcastProcessor, which fails a subscriber that has no demand at
            // the moment of the change instead of buffering it; per the gRPC health-checking protocol a
            // client treats an ended Watch as unhealthy too, so either way the backend is taken out.
            awaitTrue(() -> watched.contains(ServingStatus.NOT_SERVING) || watchEnd.isDone(), Duration.ofSeconds(2),
                    "Watch saw NOT_SERVING or ended: " + watched);
            assertEquals(ServingStatus.SERVING, watched.get(0), "Watch first saw SERVING");
            if (!watched.contains(ServingStatus.NOT_SERVING)) {
                System.out.println("GracefulShutdownIT: the Watch stream ended with " + watchEnd.getNow(null)
                        + " instead of streaming NOT_SERVING");
            }
            watchContext.cancel(null); // as a client-side health check does once the backend is NOT_SERVING

            // the drain refuses new calls once the delay is over: the REST load sees its 503 (the gRPC load
            // may see UNAVAILABLE earlier, from the GOAWAY at SIGTERM, so it does not mark the moment)
            awaitTrue(() -> outcomes.stream().anyMatch(o -> o.protocol().equals("rest") && o.result().equals("refused 503")),
                    DELAY.plus(Duration.ofSeconds(10)), "the drain refuses the REST load");
            assertTrue(System.nanoTime() - sigterm >= DELAY.toNanos(), "new calls are served during the delay");
            // a new client (a new connection: the load's connection may already have had its GOAWAY,
            // which also ends in UNAVAILABLE, but at the transport) is refused by DrainInterceptor
            ManagedChannel late = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> GreeterGrpc.newBlockingStub(late).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .sayHello(HelloRequest.newBuilder().setName("late").build()));
                assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
                assertEquals(DrainInterceptor.REFUSAL, refused.getStatus().getDescription());
            } finally {
                late.shutdownNow();
            }
            HttpResponse<String> refusedRest = restGet(http, port, "/v1/greeter/late", null);
            assertEquals(503, refusedRest.statusCode(), refusedRest.body());
            assertTrue(refusedRest.body().contains("\"code\":14"), refusedRest.body());

            // new calls are refused, the in-flight ones still wait on the lock: the process must wait for them
            assertTrue(app.process().isAlive(), "still draining while calls are in flight");
            assertTrue(grpcInFlight.stream().noneMatch(java.util.concurrent.Future::isDone)
                    && restInFlight.stream().noneMatch(CompletableFuture::isDone), "the in-flight calls still wait");
            lock.rollback(); // the in-flight calls may go on
            long released = System.nanoTime();

            for (ListenableFuture<GetUserResponse> f : grpcInFlight) {
                assertEquals("Petar", f.get(10, TimeUnit.SECONDS).getUser().getFirstName());
            }
            for (CompletableFuture<HttpResponse<String>> f : restInFlight) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"firstName\":\"Petar\""), r.body());
            }

            assertTrue(app.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "exits within the shutdown timeout");
            long exited = System.nanoTime();
            stop.set(true);
            for (Thread t : load) {
                t.join(10_000);
            }
            // A JVM stopped by SIGTERM exits with 143 (128 + 15) once its shutdown hooks, here Quarkus's
            // whole graceful shutdown, have run; 0 would need a custom TERM handler. What matters is
            // that it exited by itself, through the complete shutdown (checked in the log below).
            int status = app.process().exitValue();
            assertTrue(status == 0 || status == 143, "exit status after SIGTERM: " + status);

            checkLoad(outcomes, sigterm);
            checkLogs(app.lines());
            System.out.printf("GracefulShutdownIT: readiness DOWN %d ms after SIGTERM; in-flight calls released %d ms"
                    + " after SIGTERM; process exited (status %d) %d ms after release (%d ms after SIGTERM); %d load calls%n",
                    readyDownMs, TimeUnit.NANOSECONDS.toMillis(released - sigterm), status,
                    TimeUnit.NANOSECONDS.toMillis(exited - released), TimeUnit.NANOSECONDS.toMillis(exited - sigterm),
                    outcomes.size());
        }
    }

    private static long answered(ConcurrentLinkedQueue<Outcome> outcomes, String protocol) {
        return outcomes.stream().filter(o -> o.protocol().equals(protocol) && o.result().equals("ok")).count();
    }

    private static void checkLoad(ConcurrentLinkedQueue<Outcome> outcomes, long sigterm) {
        int before = 0;
        int refusedGrpc = 0;
        int refusedRest = 0;
        for (Outcome o : outcomes) {
            if (o.startNanos() - sigterm < 0) {
                before++;
                assertEquals("ok", o.result(), () -> o.protocol() + " call started before SIGTERM must succeed: " + o);
            } else if (!o.result().equals("ok")) {
                assertTrue(o.result().startsWith("refused"), () -> "a call after SIGTERM may only be refused: " + o);
                if (o.protocol().equals("grpc")) {
                    refusedGrpc++;
                } else {
                    refusedRest++;
                }
            }
        }
        assertTrue(before >= 2 * LOAD_BEFORE, "load ran before SIGTERM: " + before);
        assertTrue(refusedGrpc > 0 && refusedRest > 0, "load was refused after the delay: grpc " + refusedGrpc + ", rest " + refusedRest);
    }

    private static void checkLogs(List<String> lines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(json.readTree(line));
            } catch (IOException e) {
                fail("prod console output is JSON, one object per line; not: " + line);
            }
        }
        for (String id : List.of("inflight-grpc-0", "inflight-rest-0")) {
            assertTrue(records.stream().anyMatch(r -> r.path("loggerName").asText().endsWith("RpcMetricsInterceptor")
                    && id.equals(r.path("mdc").path(RequestIdInterceptor.MDC_KEY).asText())
                    && r.path("message").asText().contains("GetUserById OK")),
                    "a call-log line with requestId " + id + " in its MDC");
        }
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().startsWith("Shutdown requested")));
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().equals("Waiting for HTTP requests to complete")),
                "Quarkus waited for the requests in flight");
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().equals("All HTTP requests complete")));
        assertFalse(records.stream().anyMatch(r -> r.path("message").asText().contains("Timed out waiting for graceful shutdown")));
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().matches("tandem( .*)? stopped in .*")),
                "Quarkus completed its shutdown");
    }

    private static void grpcLoad(ManagedChannel channel, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> out) {
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel);
        for (int i = 0; i < 200_000 && !stop.get(); i++) {
            long start = System.nanoTime();
            String result;
            try {
                greeter.withDeadlineAfter(10, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("load").build());
                result = "ok";
            } catch (StatusRuntimeException e) {
                // UNAVAILABLE: refused by the drain, or no connection once the port is closed
                result = (e.getStatus().getCode() == Status.Code.UNAVAILABLE ? "refused " : "failed ") + e.getStatus();
            }
            out.add(new Outcome("grpc", start, result));
            if (result.startsWith("refused")) {
                sleep(5);
            }
        }
    }

    private static void restLoad(HttpClient http, int port, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> out) {
        for (int i = 0; i < 200_000 && !stop.get(); i++) {
            long start = System.nanoTime();
            String result;
            try {
                HttpResponse<String> r = restGet(http, port, "/v1/greeter/load", Duration.ofSeconds(10));
                result = r.statusCode() == 200 ? "ok"
                        : r.statusCode() == 503 && r.body().contains("\"code\":14") ? "refused 503" : "failed " + r.statusCode();
            } catch (IOException e) {
                result = "refused (connection) " + e; // the port is closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.add(new Outcome("rest", start, result));
            if (result.startsWith("refused")) {
                sleep(5);
            }
        }
    }

    private static HttpResponse<String> restGet(HttpClient http, int port, String path, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout == null ? Duration.ofSeconds(10) : timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitWaitingOnLock(int n) throws Exception {
        awaitTrue(() -> {
            try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from pg_stat_activity where datname = '" + DB
                            + "' and wait_event_type = 'Lock'")) {
                r.next();
                return r.getInt(1) >= n;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(30), n + " calls waiting on the lock inside the application");
    }

    private static void freshDatabase() throws SQLException {
        TestDb.freshScratch(DB_SUFFIX);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
