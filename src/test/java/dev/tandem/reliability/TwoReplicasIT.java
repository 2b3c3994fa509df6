package dev.tandem.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.PackagedApp;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.reliability.Replicas.Call;
import dev.tandem.reliability.Replicas.Recorder;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two replicas on one database (issue 11, "Beyond one replica"): two processes of the packaged
 * application (prod profile) on one PostgreSQL, a private cluster in {@code target/} ({@link
 * PrivatePostgres}) that the last test stops and starts. gRPC clients spread their calls over both
 * with the published service config ({@code META-INF/tandem/grpc-service-config.json}: {@code
 * round_robin}, client-side health checks, retries of {@code UNAVAILABLE}; {@link
 * Replicas#balancedChannel}), REST clients alternate between the two ports. In order:
 *
 * <ol>
 *   <li>etag-guarded read-modify-write increments from 8 threads, each read and write landing on
 *       either replica, lose no update;</li>
 *   <li>the same create (one {@code request_id}) sent at once to both replicas over both protocols
 *       writes one row, and every caller gets it;</li>
 *   <li>an order export streamed from either replica, while both take new orders, is in id order,
 *       has every order acknowledged before it began and only acknowledged orders as they were
 *       acknowledged; once writes stop, both export exactly the acknowledged orders;</li>
 *   <li>a rolling restart under load (SIGTERM to one, start it again, then the other) fails no gRPC
 *       call of a client of the published service config, and no acknowledged create is written
 *       twice; REST calls without retries are only ever served or refused cleanly (503,
 *       connection refused);</li>
 *   <li>PostgreSQL stopped for 10 s under load on both replicas: calls fail fast with {@code
 *       UNAVAILABLE} / 503 on each, both recover without a restart, no acknowledged write is lost.</li>
 * </ol>
 *
 * Each replica is warmed up once after its first start (every kind of call the tests make); every
 * call has a 30 s deadline ({@link #DEADLINE_S}). Figures are printed as {@code two-replicas:} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final Path WORK = Path.of("target", "two-replicas-it");
    /** A call that fails while the database is down does so within this bound (the pool waits 2 s). */
    private static final long FAIL_FAST_BOUND_MS = 5_000;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /**
     * Every call's deadline, in seconds: the server's own limit (tandem.limits.max-request-timeout).
     * Generous on purpose: a replica that has just started serves its first calls cold (class
     * loading, JIT), and on a loaded machine (a CI runner, or 5 builds on 2 cores, where a start
     * took 90 s) a first CreateUser took more than 10 s; a DEADLINE_EXCEEDED then is not what these
     * tests are about and no retry policy can hide it.
     */
    private static final int DEADLINE_S = 30;
    /** How long a replica may take to start: minutes on a loaded machine. */
    private static final Duration START = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PrivatePostgres pg;
    private static final PackagedApp[] APPS = new PackagedApp[2];
    private static final int[] PORTS = new int[2];
    private static final int[] GENERATION = new int[2];
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static ManagedChannel balanced;
    private static final ManagedChannel[] DIRECT = new ManagedChannel[2];

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        pg = PrivatePostgres.create(WORK.resolve("pg"), PackagedApp.freePort());
        pg.start();
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("create database tandem");
        }
        for (int i = 0; i < 2; i++) { // at once, as a Deployment's first rollout
            PORTS[i] = PackagedApp.freePort();
            APPS[i] = startReplica(i);
        }
        for (PackagedApp app : APPS) {
            app.awaitReady(START);
        }
        balanced = Replicas.balancedChannel(List.of(PORTS[0], PORTS[1]), true);
        for (int i = 0; i < 2; i++) {
            DIRECT[i] = ManagedChannelBuilder.forAddress("127.0.0.1", PORTS[i]).usePlaintext().build();
            warmUp(i);
        }
    }

    /** Every kind of call the tests make, once on each protocol, so that the tests do not time cold code. */
    private static void warmUp(int i) throws Exception {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(DIRECT[i])
                .withDeadlineAfter(120, TimeUnit.SECONDS);
        User u = users.createUser(newUser("Warm", "n0"));
        u = users.getUserById(GetUserRequest.newBuilder().setId(u.getId()).build()).getUser();
        users.updateUser(UpdateUserRequest.newBuilder().setUser(User.newBuilder().setId(u.getId()).setLastName("n1")
                .setEtag(u.getEtag())).build());
        int item = ItemServiceGrpc.newBlockingStub(DIRECT[i]).withDeadlineAfter(120, TimeUnit.SECONDS)
                .createItem(CreateItemRequest.newBuilder().setName("warm-up").build()).getId();
        OrderServiceGrpc.newBlockingStub(DIRECT[i]).withDeadlineAfter(120, TimeUnit.SECONDS)
                .createOrder(CreateOrderRequest.newBuilder().setUserId(u.getId()).setItemId(item).setAmount(1).build());
        grpcExport(DIRECT[i], u.getId());
        GreeterGrpc.newBlockingStub(DIRECT[i]).withDeadlineAfter(120, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("warm").build());
        assertEquals(200, rest("GET", PORTS[i], "/v1/users/" + u.getId(), null).statusCode());
        assertEquals(201, rest("POST", PORTS[i], "/v1/users", JSON.createObjectNode().put("firstName", "Warm")
                .put("lastName", "Rest").put("email", "warm-" + UUID.randomUUID() + "@example.com").toString()).statusCode());
        restExport(PORTS[i], u.getId());
        assertEquals(200, rest("GET", PORTS[i], "/v1/greeter/warm", null).statusCode());
    }

    @AfterAll
    static void stopAll() throws Exception {
        List<ManagedChannel> channels = new ArrayList<>(java.util.Arrays.asList(DIRECT)); // null for a replica that never started
        channels.add(balanced);
        for (ManagedChannel c : channels) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        for (PackagedApp app : APPS) {
            if (app != null) {
                app.close();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static PackagedApp startReplica(int i) throws IOException {
        return Replicas.start(WORK.resolve("replica-" + i + "-" + GENERATION[i]++), PORTS[i], pg.url("tandem"));
    }

    // ---------------------------------------------------------------- (a) etags across replicas

    @Test
    @org.junit.jupiter.api.Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void etagGuardedWritesAcrossReplicasLoseNoUpdate() throws Exception {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(balanced);
        User user = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).createUser(newUser("Counter", "n0"));
        int threads = 8;
        int increments = 20;
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger aborted = new AtomicInteger();
        List<Callable<Void>> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            boolean rest = t % 2 == 1;
            int thread = t;
            workers.add(() -> {
                go.await();
                for (int i = 0; i < increments; i++) {
                    int attempt = 0;
                    while (!(rest ? incrementRest(user.getId(), thread + attempt) : incrementGrpc(users, user.getId()))) {
                        aborted.incrementAndGet();
                        attempt++;
                    }
                    acknowledged.incrementAndGet();
                }
                return null;
            });
        }
        runAll(workers, go, Duration.ofMinutes(3));
        User end = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .getUserById(GetUserRequest.newBuilder().setId(user.getId()).build()).getUser();
        int counter = Integer.parseInt(end.getLastName().substring(1));
        long version = single("select version from users where id = " + user.getId());
        long[] grpcUpdates = {Replicas.served(HTTP, PORTS[0], "grpc", "UpdateUser"), Replicas.served(HTTP, PORTS[1], "grpc", "UpdateUser")};
        long[] restUpdates = {Replicas.served(HTTP, PORTS[0], "rest", "UpdateUser"), Replicas.served(HTTP, PORTS[1], "rest", "UpdateUser")};
        System.out.printf("two-replicas: etag race: %d acknowledged, %d ABORTED retries, counter %d, version %d; "
                + "UpdateUser served gRPC %d + %d, REST %d + %d%n", acknowledged.get(), aborted.get(), counter, version,
                grpcUpdates[0], grpcUpdates[1], restUpdates[0], restUpdates[1]);
        assertEquals(threads * increments, acknowledged.get());
        assertEquals(acknowledged.get(), counter, "the row holds exactly the acknowledged increments");
        assertEquals(version, counter, "every applied update incremented the latest value");
        assertTrue(aborted.get() > 0, "the writers did collide");
        for (int i = 0; i < 2; i++) {
            assertTrue(grpcUpdates[i] > 0 && restUpdates[i] > 0, "replica " + i + " took updates over both protocols");
        }
    }

    /** @return {@code true} when acknowledged, {@code false} on ABORTED (someone else was first) */
    private static boolean incrementGrpc(UserServiceGrpc.UserServiceBlockingStub users, int id) {
        User current = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .getUserById(GetUserRequest.newBuilder().setId(id).build()).getUser();
        try {
            users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).updateUser(UpdateUserRequest.newBuilder().setUser(User.newBuilder()
                    .setId(id).setLastName(next(current.getLastName())).setEtag(current.getEtag())).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ABORTED) {
                return false;
            }
            throw e;
        }
    }

    /** Reads on one replica, writes on the other. */
    private static boolean incrementRest(int id, int turn) throws Exception {
        HttpResponse<String> read = rest("GET", PORTS[turn % 2], "/v1/users/" + id, null);
        assertEquals(200, read.statusCode(), read.body());
        JsonNode user = JSON.readTree(read.body()).get("user");
        String body = JSON.createObjectNode().put("lastName", next(user.get("lastName").asText()))
                .put("etag", user.get("etag").asText()).toString();
        HttpResponse<String> write = rest("PATCH", PORTS[(turn + 1) % 2], "/v1/users/" + id, body);
        return switch (write.statusCode()) {
            case 200 -> true;
            case 409 -> false;
            default -> fail("PATCH answered " + write.statusCode() + " " + write.body());
        };
    }

    private static String next(String counter) {
        return "n" + (Integer.parseInt(counter.substring(1)) + 1);
    }

    // ---------------------------------------------------------------- (b) one request id, two replicas

    @Test
    @org.junit.jupiter.api.Order(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theSameCreateRacingOnBothReplicasWritesOneRow() throws Exception {
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < rounds; round++) {
                String requestId = UUID.randomUUID().toString();
                String email = "race-" + requestId + "@example.com";
                CreateUserRequest grpcRequest = CreateUserRequest.newBuilder().setFirstName("Race").setLastName("Twin")
                        .setEmail(email).setRequestId(requestId).build();
                String restBody = JSON.createObjectNode().put("firstName", "Race").put("lastName", "Twin")
                        .put("email", email).put("requestId", requestId).toString();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> ids = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int replica = i;
                    ids.add(pool.submit(() -> {
                        go.await();
                        return UserServiceGrpc.newBlockingStub(DIRECT[replica]).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                                .createUser(grpcRequest).getId();
                    }));
                    ids.add(pool.submit(() -> {
                        go.await();
                        HttpResponse<String> r = rest("POST", PORTS[replica], "/v1/users", restBody);
                        assertEquals(201, r.statusCode(), r.body()); // a replay answers the first call's 201 too
                        return JSON.readTree(r.body()).get("id").asInt();
                    }));
                }
                go.countDown();
                Set<Integer> distinct = new TreeSet<>();
                for (Future<Integer> f : ids) {
                    distinct.add(f.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, distinct.size(), "round " + round + ": every caller got the one user: " + distinct);
                assertEquals(1, single("select count(*) from users where email = '" + email + "'"), "one row for " + requestId);
                assertEquals(1, single("select count(*) from users where request_id::text = '" + requestId + "'"));
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("two-replicas: %d creates raced on both replicas (2 gRPC + 2 REST callers each): one row each%n",
                rounds);
    }

    // ---------------------------------------------------------------- (c) export from either replica

    @Test
    @org.junit.jupiter.api.Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void exportFromEitherReplicaIsConsistentWhileBothWrite() throws Exception {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(balanced);
        int userId = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).createUser(newUser("Ex", "Port")).getId();
        int itemId = ItemServiceGrpc.newBlockingStub(balanced).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .createItem(CreateItemRequest.newBuilder().setName("replica kite").build()).getId();
        Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>(); // order id -> amount
        AtomicInteger amounts = new AtomicInteger();
        // 450 orders before the exports: more than two pages of the export (200 per page)
        List<Callable<Void>> fill = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fill.add(() -> {
                for (int i = 0; i < 450 / 4 + 1; i++) {
                    placeOrder(OrderServiceGrpc.newBlockingStub(balanced), userId, itemId, amounts, acknowledged);
                }
                return null;
            });
        }
        runAll(fill, new CountDownLatch(0), Duration.ofMinutes(2));
        Set<Integer> before = Set.copyOf(acknowledged.keySet());

        AtomicBoolean exporting = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OrderServiceGrpc.OrderServiceBlockingStub orders = OrderServiceGrpc.newBlockingStub(DIRECT[i]);
            writers.add(new Thread(() -> {
                while (exporting.get()) {
                    placeOrder(orders, userId, itemId, amounts, acknowledged);
                }
            }, "export-writer-" + i));
        }
        writers.forEach(Thread::start);
        List<Callable<List<int[]>>> exports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int replica = i;
            exports.add(() -> grpcExport(DIRECT[replica], userId));
            exports.add(() -> restExport(PORTS[replica], userId));
        }
        ExecutorService pool = Executors.newFixedThreadPool(exports.size());
        List<List<int[]>> results = new ArrayList<>();
        try {
            for (Future<List<int[]>> f : pool.invokeAll(exports, 2, TimeUnit.MINUTES)) {
                results.add(f.get());
            }
        } finally {
            exporting.set(false);
            for (Thread w : writers) {
                w.join(30_000);
            }
            pool.shutdownNow();
        }
        int during = acknowledged.size() - before.size();
        for (List<int[]> export : results) {
            checkExport(export, before, acknowledged, userId);
        }
        Set<Integer> all = new TreeSet<>(acknowledged.keySet());
        for (int i = 0; i < 2; i++) {
            assertEquals(List.copyOf(all), grpcExport(DIRECT[i], userId).stream().map(o -> o[0]).toList(),
                    "replica " + i + " exports exactly the acknowledged orders once writes stopped");
            assertEquals(List.copyOf(all), restExport(PORTS[i], userId).stream().map(o -> o[0]).toList());
        }
        assertEquals(all.size(), single("select count(*) from orders where user_id = " + userId));
        System.out.printf("two-replicas: 4 exports (gRPC and REST from each replica) of %d orders while %d more were "
                + "placed on both replicas; exports had %s orders%n", before.size(), during,
                results.stream().map(r -> String.valueOf(r.size())).toList());
    }

    private static void placeOrder(OrderServiceGrpc.OrderServiceBlockingStub orders, int userId, int itemId,
            AtomicInteger amounts, Map<Integer, Integer> acknowledged) {
        int amount = 1 + amounts.incrementAndGet() % 1000;
        Order o = orders.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).createOrder(CreateOrderRequest.newBuilder()
                .setUserId(userId).setItemId(itemId).setAmount(amount).build());
        acknowledged.put(o.getId(), amount);
    }

    /** @return {id, amount, userId} per exported order, in stream order */
    private static List<int[]> grpcExport(Channel channel, int userId) {
        List<int[]> out = new ArrayList<>();
        Iterator<Order> it = OrderExportServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .exportOrders(ExportOrdersRequest.newBuilder().setUserId(userId).build());
        it.forEachRemaining(o -> out.add(new int[] {o.getId(), o.getAmount(), o.getUserId()}));
        return out;
    }

    private static List<int[]> restExport(int port, int userId) throws Exception {
        HttpResponse<String> r = rest("GET", port, "/v1/users/" + userId + "/orders:export", null);
        assertEquals(200, r.statusCode(), r.body());
        List<int[]> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode o = JSON.readTree(line).get("result");
                out.add(new int[] {o.get("id").asInt(), o.get("amount").asInt(), o.get("userId").asInt()});
            }
        }
        return out;
    }

    private static void checkExport(List<int[]> export, Set<Integer> before, Map<Integer, Integer> acknowledged, int userId) {
        Set<Integer> seen = new TreeSet<>();
        int last = 0;
        for (int[] o : export) {
            assertTrue(o[0] > last, "ids ascend, each once: " + o[0] + " after " + last);
            last = o[0];
            seen.add(o[0]);
            assertEquals(userId, o[2]);
            assertEquals(acknowledged.get(o[0]), o[1], "order " + o[0] + " exported as acknowledged");
        }
        assertTrue(seen.containsAll(before), "every order acknowledged before the export is in it");
    }

    // ---------------------------------------------------------------- (d) rolling restart

    @Test
    @org.junit.jupiter.api.Order(4)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void rollingRestartUnderLoadFailsNoCallOfAClientOfTheServiceConfig() throws Exception {
        Recorder recorder = new Recorder();
        Channel channel = ClientInterceptors.intercept(balanced, recorder);
        int someUser = UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .createUser(newUser("Rolling", "Restart")).getId();
        recorder.calls.clear();
        Map<String, Integer> created = new ConcurrentHashMap<>(); // request id -> user id, as acknowledged
        ConcurrentLinkedQueue<String> restOutcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            load.add(new Thread(() -> grpcLoad(channel, someUser, created, stop), "grpc-load-" + t));
        }
        for (int t = 0; t < 2; t++) {
            int thread = t;
            load.add(new Thread(() -> restLoad(thread, restOutcomes, stop), "rest-load-" + t));
        }
        load.forEach(Thread::start);
        long t0 = System.nanoTime();
        List<String> events = new ArrayList<>();
        try {
            awaitTrue(() -> recorder.calls.size() >= 50, Duration.ofSeconds(60), "load is running");
            for (int i = 0; i < 2; i++) {
                long sigterm = System.nanoTime();
                events.add(String.format("%d ms: SIGTERM replica %d (port %d)", (sigterm - t0) / 1_000_000, i, PORTS[i]));
                APPS[i].sigterm();
                assertTrue(APPS[i].process().waitFor(60, TimeUnit.SECONDS), "replica " + i + " exits by itself");
                int status = APPS[i].process().exitValue();
                assertTrue(status == 0 || status == 143, "exit status " + status);
                // the refusals of the drain log no error (they threw NullPointerException in HttpServerCall.finish)
                List<String> errors = APPS[i].lines().stream().filter(l -> l.contains(" ERROR [")).toList();
                assertTrue(errors.isEmpty(), "replica " + i + " ran and drained without an ERROR in its log:\n" + String.join("\n", errors));
                events.add(String.format("%d ms: replica %d exited (%d ms after SIGTERM)", (System.nanoTime() - t0) / 1_000_000,
                        i, (System.nanoTime() - sigterm) / 1_000_000));
                APPS[i] = startReplica(i);
                APPS[i].awaitReady(START);
                events.add(String.format("%d ms: replica %d ready again", (System.nanoTime() - t0) / 1_000_000, i));
                // the client finds it again (its reconnect backoff may still be running): wait until it serves load
                int replica = i;
                awaitTrue(() -> Replicas.served(HTTP, PORTS[replica], "grpc", "SayHello") >= 10, Duration.ofSeconds(120),
                        "the balanced client uses the restarted replica " + i);
                events.add(String.format("%d ms: replica %d serves the balanced client again", (System.nanoTime() - t0) / 1_000_000, i));
            }
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(30_000);
            }
        }
        events.forEach(e -> System.out.println("two-replicas: rolling restart: " + e));
        List<Call> calls = List.copyOf(recorder.calls);
        List<Call> failed = calls.stream().filter(c -> c.code() != Status.Code.OK).toList();
        System.out.printf("two-replicas: rolling restart: %d gRPC calls, %d failed; %d REST calls: %s%n", calls.size(),
                failed.size(), restOutcomes.size(), summary(restOutcomes));
        assertTrue(failed.isEmpty(), () -> "gRPC calls failed during the rolling restart:\n" + String.join("\n",
                failed.stream().map(c -> String.format("  started at %d ms: %s", (c.startNanos() - t0) / 1_000_000, c)).toList())
                + "\nevents:\n  " + String.join("\n  ", events));
        for (int i = 0; i < 2; i++) {
            int port = PORTS[i];
            assertTrue(calls.stream().anyMatch(c -> c.port() == port && c.startNanos() > t0), "replica " + i + " served load");
        }
        assertTrue(restOutcomes.stream().allMatch(o -> o.equals("ok") || o.startsWith("refused")),
                () -> "REST calls are served or refused cleanly: " + summary(restOutcomes));
        Map<String, Long> rows = rowsPerRequestId(); // one query: thousands of creates ran
        for (Map.Entry<String, Integer> c : created.entrySet()) {
            assertEquals(1L, rows.getOrDefault(c.getKey(), 0L), "create " + c.getKey() + " written once despite retries");
        }
        assertTrue(created.size() >= 10, "creates ran: " + created.size());
    }

    private static void grpcLoad(Channel channel, int someUser, Map<String, Integer> created, AtomicBoolean stop) {
        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel);
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(channel);
        for (int i = 0; !stop.get(); i++) {
            try {
                switch (i % 3) {
                    case 0 -> greeter.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("load").build());
                    case 1 -> users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).getUserById(GetUserRequest.newBuilder().setId(someUser).build());
                    default -> {
                        String requestId = UUID.randomUUID().toString();
                        User u = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).createUser(CreateUserRequest.newBuilder()
                                .setFirstName("Load").setLastName("Create").setEmail("load-" + requestId + "@example.com")
                                .setRequestId(requestId).build());
                        created.put(requestId, u.getId());
                    }
                }
            } catch (StatusRuntimeException e) {
                pause(); // recorded by the Recorder
            }
        }
    }

    private static void restLoad(int thread, ConcurrentLinkedQueue<String> outcomes, AtomicBoolean stop) {
        for (int i = thread; !stop.get(); i++) {
            String outcome;
            try {
                HttpResponse<String> r = rest("GET", PORTS[i % 2], "/v1/greeter/rest", null);
                outcome = r.statusCode() == 200 ? "ok"
                        : r.statusCode() == 503 && r.body().contains("\"code\":14") ? "refused 503" : "failed " + r.statusCode();
            } catch (IOException e) {
                outcome = e instanceof java.net.http.HttpTimeoutException ? "failed timeout" : "refused (connection)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.add(outcome);
            if (!outcome.equals("ok")) {
                pause();
            }
        }
    }

    // ---------------------------------------------------------------- (e) database failover

    @Test
    @org.junit.jupiter.api.Order(5)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void databaseStoppedForTenSecondsUnderLoadOnBothReplicas() throws Exception {
        for (PackagedApp app : APPS) {
            app.awaitReady(START);
        }
        Process[] processes = {APPS[0].process(), APPS[1].process()};
        Recorder recorder = new Recorder();
        // no retries here: the test wants to see every failure, and how fast it came
        Channel[] direct = {ClientInterceptors.intercept(DIRECT[0], recorder), ClientInterceptors.intercept(DIRECT[1], recorder)};
        Map<Integer, String> acknowledged = new ConcurrentHashMap<>(); // user id -> e-mail
        ConcurrentLinkedQueue<RestCall> restCalls = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            load.add(new Thread(() -> grpcWrites(direct[thread % 2], acknowledged, stop), "grpc-writes-" + t));
        }
        for (int t = 0; t < 2; t++) {
            int thread = t;
            load.add(new Thread(() -> restWrites(thread, acknowledged, restCalls, stop), "rest-writes-" + t));
        }
        load.forEach(Thread::start);
        long crashed;
        long bothDown;
        long restarted;
        long recovered;
        int ackedBefore;
        try {
            awaitTrue(() -> acknowledged.size() >= 40, Duration.ofSeconds(60), "writes acknowledged before the outage");
            ackedBefore = acknowledged.size();
            crashed = System.nanoTime();
            pg.crash();
            awaitTrue(() -> APPS[0].get("/q/health/ready") == 503 && APPS[1].get("/q/health/ready") == 503,
                    Duration.ofSeconds(10), "readiness DOWN on both replicas");
            bothDown = System.nanoTime();
            // the outage lasts OUTAGE (the scenario, not a synchronisation); the load runs on meanwhile
            long left = OUTAGE.toMillis() - (System.nanoTime() - crashed) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
            restarted = System.nanoTime();
            pg.start();
            awaitTrue(() -> APPS[0].get("/q/health/ready") == 200 && APPS[1].get("/q/health/ready") == 200,
                    Duration.ofSeconds(30), "readiness UP again on both replicas");
            int acks = acknowledged.size();
            awaitTrue(() -> acknowledged.size() >= acks + 20, Duration.ofSeconds(30), "writes acknowledged again");
            recovered = System.nanoTime();
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(30_000);
            }
        }
        List<Call> calls = List.copyOf(recorder.calls);
        List<RestCall> rests = List.copyOf(restCalls);
        // every failure is UNAVAILABLE / 503, and fast
        for (Call c : calls) {
            assertTrue(c.code() == Status.Code.OK || c.code() == Status.Code.UNAVAILABLE, () -> "gRPC: " + c);
            assertTrue(c.code() == Status.Code.OK || c.millis() < FAIL_FAST_BOUND_MS, () -> "not fast: " + c);
        }
        for (RestCall r : rests) {
            assertTrue(r.status() == 201 || r.status() == 503 && r.body().contains("\"code\":14"), () -> "REST: " + r);
            assertTrue(r.status() == 201 || r.millis() < FAIL_FAST_BOUND_MS, () -> "not fast: " + r);
        }
        // while the database was down (readiness DOWN on both, before the restart) nothing succeeded, on either replica
        for (int i = 0; i < 2; i++) {
            int port = PORTS[i];
            List<Call> inGap = calls.stream().filter(c -> c.port() == port && c.startNanos() > bothDown && c.endNanos() < restarted).toList();
            assertTrue(!inGap.isEmpty() && inGap.stream().allMatch(c -> c.code() == Status.Code.UNAVAILABLE),
                    "gRPC calls on replica " + i + " during the outage: " + inGap);
            List<RestCall> restInGap = rests.stream().filter(r -> r.port() == port && r.start() > bothDown && r.end() < restarted).toList();
            assertTrue(!restInGap.isEmpty() && restInGap.stream().allMatch(r -> r.status() == 503),
                    "REST calls on replica " + i + " during the outage: " + restInGap);
        }
        // recovered by themselves: the same processes serve again
        for (int i = 0; i < 2; i++) {
            assertTrue(processes[i].isAlive() && processes[i] == APPS[i].process(), "replica " + i + " was not restarted");
            int port = PORTS[i];
            assertTrue(calls.stream().anyMatch(c -> c.port() == port && c.code() == Status.Code.OK && c.startNanos() > restarted),
                    "replica " + i + " served gRPC writes after the database returned");
            assertTrue(rests.stream().anyMatch(r -> r.port() == port && r.status() == 201 && r.start() > restarted),
                    "replica " + i + " served REST writes after the database returned");
        }
        // no acknowledged write lost
        try (Connection c = DriverManager.getConnection(pg.url("tandem"), "postgres", "");
                Statement s = c.createStatement()) {
            for (Map.Entry<Integer, String> w : acknowledged.entrySet()) {
                try (ResultSet r = s.executeQuery("select email from users where id = " + w.getKey())) {
                    assertTrue(r.next(), "acknowledged user " + w.getKey() + " lost");
                    assertEquals(w.getValue(), r.getString(1));
                }
            }
        }
        long slowest = calls.stream().filter(c -> c.code() != Status.Code.OK).mapToLong(Call::millis).max().orElse(-1);
        System.out.printf("two-replicas: database failover: readiness DOWN on both %d ms after the crash, database back "
                + "after %d ms, writes acknowledged again %d ms later; %d gRPC calls (%d UNAVAILABLE, slowest failure %d ms), "
                + "%d REST calls (%d 503); %d writes acknowledged (%d before the crash), none lost%n",
                (bothDown - crashed) / 1_000_000, (restarted - crashed) / 1_000_000, (recovered - restarted) / 1_000_000,
                calls.size(), calls.stream().filter(c -> c.code() != Status.Code.OK).count(), slowest, rests.size(),
                rests.stream().filter(r -> r.status() == 503).count(), acknowledged.size(), ackedBefore);
    }

    /** One REST call of the failover load. */
    private record RestCall(int port, long start, long end, int status, String body) {

        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    private static void grpcWrites(Channel channel, Map<Integer, String> acknowledged, AtomicBoolean stop) {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(channel);
        while (!stop.get()) {
            try {
                User u = users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).createUser(newUser("Fail", "Over"));
                acknowledged.put(u.getId(), u.getEmail());
                users.withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS).getUserById(GetUserRequest.newBuilder().setId(u.getId()).build());
            } catch (StatusRuntimeException e) {
                pause(); // recorded by the Recorder
            }
        }
    }

    private static void restWrites(int thread, Map<Integer, String> acknowledged, ConcurrentLinkedQueue<RestCall> out,
            AtomicBoolean stop) {
        for (int i = thread; !stop.get(); i++) {
            int port = PORTS[i % 2];
            String email = "rest-" + UUID.randomUUID() + "@example.com";
            long start = System.nanoTime();
            try {
                HttpResponse<String> r = rest("POST", port, "/v1/users",
                        JSON.createObjectNode().put("firstName", "Rest").put("lastName", "Over").put("email", email).toString());
                out.add(new RestCall(port, start, System.nanoTime(), r.statusCode(), r.body()));
                if (r.statusCode() == 200) {
                    acknowledged.put(JSON.readTree(r.body()).get("id").asInt(), email);
                } else {
                    pause();
                }
            } catch (IOException e) {
                out.add(new RestCall(port, start, System.nanoTime(), -1, e.toString()));
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static CreateUserRequest newUser(String first, String last) {
        return CreateUserRequest.newBuilder().setFirstName(first).setLastName(last)
                .setEmail(first.toLowerCase() + "-" + UUID.randomUUID() + "@example.com").build();
    }

    private static HttpResponse<String> rest(String method, int port, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(DEADLINE_S));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The number of {@code users} rows of each request id (the idempotency key of CreateUser). */
    private static Map<String, Long> rowsPerRequestId() throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pg.url("tandem"), "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select request_id::text, count(*) from users where request_id is not null group by 1")) {
            while (r.next()) {
                rows.put(r.getString(1), r.getLong(2));
            }
        }
        return rows;
    }

    private static long single(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.url("tandem"), "postgres", "");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void runAll(List<? extends Callable<Void>> tasks, CountDownLatch go, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> t : tasks) {
                futures.add(pool.submit(t));
            }
            go.countDown();
            for (Future<Void> f : futures) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static String summary(ConcurrentLinkedQueue<String> outcomes) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        outcomes.forEach(o -> counts.merge(o, 1, Integer::sum));
        return counts.toString();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout + " waiting: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A short pause after a failed call, so that a failing loop does not spin. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
