package dev.tandem.order;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.ResourceInfo;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code orders.v1.OrderService} over gRPC. */
@QuarkusTest
class OrderGrpcServiceTest {

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @Inject
    TestDb db;

    @Test
    void ordersByUserIdOfPetar() {
        List<Order> his = orders.getOrdersByUserId(OrdersByUserIdRequest.newBuilder().setUserId(1).build()).getOrdersList();
        assertEquals(List.of(1, 2, 3), his.subList(0, 3).stream().map(Order::getId).toList());
        assertEquals(List.of("pencil", "book", "magic stick"), his.subList(0, 3).stream().map(o -> o.getItem().getName()).toList());
        assertEquals("2023-05-01T00:00:00Z", Timestamps.toString(his.get(0).getOrderDate()));
    }

    @Test
    void ordersByUnknownUserIsEmptyButInvalidIdIsRejected() {
        assertEquals(0, orders.getOrdersByUserId(OrdersByUserIdRequest.newBuilder().setUserId(999_999).build()).getOrdersCount());
        assertInvalid(() -> orders.getOrdersByUserId(OrdersByUserIdRequest.newBuilder().setUserId(0).build()), "user_id");
    }

    @Test
    void createOrderThenGetIt() {
        User user = newUser();
        Instant before = Instant.now();
        Order created = orders.createOrder(CreateOrderRequest.newBuilder().setUserId(user.getId()).setItemId(3).setAmount(7).build());
        assertTrue(created.getId() > 4, "ids after the demo ids");
        assertEquals(user.getId(), created.getUserId());
        assertEquals("magic stick", created.getItem().getName());
        assertEquals(7, created.getAmount());
        Instant date = Instant.ofEpochSecond(created.getOrderDate().getSeconds(), created.getOrderDate().getNanos());
        assertTrue(Duration.between(before, date).abs().toSeconds() < 60, "dated now: " + date);

        assertEquals(created, orders.getOrder(GetOrderRequest.newBuilder().setId(created.getId()).build()));
        assertEquals(List.of(created), orders.getOrdersByUserId(OrdersByUserIdRequest.newBuilder().setUserId(user.getId()).build()).getOrdersList());
        assertEquals(List.of(created), users.getUserById(GetUserRequest.newBuilder().setId(user.getId()).build()).getUser().getOrdersList());
    }

    @Test
    void getOrderOfTheDemoData() {
        Order order = orders.getOrder(GetOrderRequest.newBuilder().setId(4).build());
        assertEquals(2, order.getUserId());
        assertEquals("book", order.getItem().getName());
        assertEquals(15, order.getAmount());
        assertEquals("2023-05-04T00:00:00Z", Timestamps.toString(order.getOrderDate()));
    }

    @Test
    void getOrderUnknownOrInvalid() {
        ResourceInfo info = detail(assertStatus(Status.Code.NOT_FOUND,
                () -> orders.getOrder(GetOrderRequest.newBuilder().setId(999_999).build())), ResourceInfo.class);
        assertEquals("order", info.getResourceType());
        assertInvalid(() -> orders.getOrder(GetOrderRequest.newBuilder().setId(-1).build()), "id");
    }

    @Test
    void createOrderRejectsEveryBadFieldAndWritesNothing() {
        String before = db.snapshot();
        assertInvalid(() -> orders.createOrder(CreateOrderRequest.getDefaultInstance()), "user_id", "item_id", "amount");
        assertInvalid(() -> orders.createOrder(CreateOrderRequest.newBuilder().setUserId(1).setItemId(1).setAmount(-5).build()), "amount");
        assertEquals(before, db.snapshot());
    }

    @Test
    void createOrderForUnknownUserOrItemIsNotFoundAndWritesNothing() {
        String before = db.snapshot();
        ResourceInfo user = detail(assertStatus(Status.Code.NOT_FOUND, () -> orders.createOrder(
                CreateOrderRequest.newBuilder().setUserId(999_999).setItemId(1).setAmount(1).build())), ResourceInfo.class);
        assertEquals("user", user.getResourceType());
        ResourceInfo item = detail(assertStatus(Status.Code.NOT_FOUND, () -> orders.createOrder(
                CreateOrderRequest.newBuilder().setUserId(1).setItemId(999_999).setAmount(1).build())), ResourceInfo.class);
        assertEquals("item", item.getResourceType());
        assertEquals("items/999999", item.getResourceName());
        assertEquals(before, db.snapshot());
    }

    private User newUser() {
        return users.createUser(CreateUserRequest.newBuilder()
                .setFirstName("Order").setLastName("Test").setEmail(TestDb.uniqueEmail()).build());
    }
}
