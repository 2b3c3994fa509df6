package dev.tandem.aip;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.RestAssertions;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * AIP-155 idempotent creation on both protocols: a retried create with the same {@code request_id}
 * returns the same resource and writes once, also when the retries race; a {@code request_id}
 * reused with other content and a malformed one are {@code INVALID_ARGUMENT} and write nothing.
 */
@QuarkusTest
class IdempotentCreateTest {

    private static final int CALLERS = 8;

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @Inject
    TestDb db;

    private static CreateUserRequest createUser(String requestId, String email) {
        return CreateUserRequest.newBuilder().setFirstName("Idem").setLastName("Potent").setEmail(email)
                .setRequestId(requestId).build();
    }

    @Test
    void retriedCreateUserReturnsTheSameUserAndWritesOnce() {
        String requestId = UUID.randomUUID().toString();
        String email = TestDb.uniqueEmail();
        long before = db.count("users");
        User first = users.createUser(createUser(requestId, email));
        User retry = users.createUser(createUser(requestId, email));
        assertEquals(first, retry);
        assertEquals(before + 1, db.count("users"));
        // over REST too, in upper case (a UUID in any case)
        given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"Idem\",\"lastName\":\"Potent\",\"email\":\"" + email + "\",\"requestId\":\""
                        + requestId.toUpperCase() + "\"}")
                .post("/v1/users").then().statusCode(201).body("id", equalTo(first.getId()))
                .header("Location", "/v1/users/" + first.getId());
        assertEquals(before + 1, db.count("users"));
    }

    @Test
    void requestIdReusedWithOtherContentOrMalformedIsInvalidArgument() {
        String requestId = UUID.randomUUID().toString();
        users.createUser(createUser(requestId, TestDb.uniqueEmail()));
        int userId = ownUser();
        String before = db.snapshot();
        assertInvalid(() -> users.createUser(createUser(requestId, TestDb.uniqueEmail())), "request_id");
        assertInvalid(() -> users.createUser(createUser("not-a-uuid", TestDb.uniqueEmail())), "request_id");
        assertInvalid(() -> orders.createOrder(CreateOrderRequest.newBuilder().setUserId(userId).setItemId(1).setAmount(1)
                .setRequestId("{" + UUID.randomUUID() + "}").build()), "request_id");
        RestAssertions.badRequest(given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"" + TestDb.uniqueEmail()
                        + "\",\"requestId\":\"42\"}")
                .post("/v1/users").then(), "request_id");
        assertEquals(before, db.snapshot());
    }

    /** A user of this test's own, so that the demo users' orders, which other tests check, stay as they are. */
    private int ownUser() {
        return users.createUser(createUser("", TestDb.uniqueEmail())).getId();
    }

    @Test
    void retriedCreateOrderReturnsTheSameOrderAndWritesOnce() {
        String requestId = UUID.randomUUID().toString();
        int userId = ownUser();
        CreateOrderRequest request = CreateOrderRequest.newBuilder().setUserId(userId).setItemId(3).setAmount(4)
                .setRequestId(requestId).build();
        long before = db.count("orders");
        Order first = orders.createOrder(request);
        assertEquals(first, orders.createOrder(request));
        given().contentType(ContentType.JSON).body("{\"itemId\":3,\"amount\":4,\"requestId\":\"" + requestId + "\"}")
                .post("/v1/users/" + userId + "/orders").then().statusCode(201).body("id", equalTo(first.getId()))
                .header("Location", "/v1/orders/" + first.getId());
        assertEquals(before + 1, db.count("orders"));
        assertInvalid(() -> orders.createOrder(request.toBuilder().setAmount(5).build()), "request_id");
        assertEquals(before + 1, db.count("orders"));
    }

    @Test
    void concurrentCreateUsersWithOneRequestIdWriteOneRow() throws Exception {
        for (int round = 0; round < 5; round++) {
            String requestId = UUID.randomUUID().toString();
            String email = TestDb.uniqueEmail();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            try {
                List<Future<Object>> outcomes = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            return users.createUser(createUser(requestId, email));
                        } catch (StatusRuntimeException e) {
                            return e.getStatus();
                        }
                    }));
                }
                start.countDown();
                Set<Object> results = new HashSet<>();
                for (Future<Object> outcome : outcomes) {
                    results.add(outcome.get());
                }
                assertEquals(1, results.size(), "every caller got the same user: " + results);
                assertEquals(User.class, results.iterator().next().getClass(), () -> results.toString());
                assertEquals(1, db.single("select count(*) from users where request_id = '" + requestId + "'"));
                assertEquals(1, db.single("select count(*) from users where lower(email) = '" + email.toLowerCase() + "'"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void concurrentCreateOrdersWithOneRequestIdWriteOneRow() throws Exception {
        String requestId = UUID.randomUUID().toString();
        CreateOrderRequest request = CreateOrderRequest.newBuilder().setUserId(ownUser()).setItemId(2).setAmount(3)
                .setRequestId(requestId).build();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Order>> outcomes = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return orders.createOrder(request);
                }));
            }
            start.countDown();
            Set<Order> results = new HashSet<>();
            for (Future<Order> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertEquals(1, results.size());
            assertEquals(1, db.single("select count(*) from orders where request_id = '" + requestId + "'"));
        } finally {
            pool.shutdownNow();
        }
    }
}
