package dev.tandem.user;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code user.v1.UserService} over gRPC, against the demo data and users each test creates. */
@QuarkusTest
class UserGrpcServiceTest {

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @Inject
    TestDb db;

    // --- GetUserById ---

    @Test
    void getUserByIdReturnsPetarWithHisOrdersAndItems() {
        User petar = users.getUserById(GetUserRequest.newBuilder().setId(1).build()).getUser();
        assertEquals(1, petar.getId());
        assertEquals("Petar", petar.getFirstName());
        assertEquals("Petrovic", petar.getLastName());
        assertEquals("petar.petrovic@gmail.com", petar.getEmail());
        List<Order> his = petar.getOrdersList().subList(0, 3);
        assertEquals(List.of(1, 2, 3), his.stream().map(Order::getId).toList());
        assertEquals(List.of("pencil", "book", "magic stick"), his.stream().map(o -> o.getItem().getName()).toList());
        assertEquals(List.of(1, 2, 3), his.stream().map(o -> o.getItem().getId()).toList());
        assertEquals(List.of(10, 25, 12), his.stream().map(Order::getAmount).toList());
        assertEquals(List.of("2023-05-01T00:00:00Z", "2023-05-02T00:00:00Z", "2023-05-03T00:00:00Z"),
                his.stream().map(o -> Timestamps.toString(o.getOrderDate())).toList());
        his.forEach(o -> assertEquals(1, o.getUserId()));
    }

    @Test
    void getUserByIdUnknownIsNotFoundWithResourceInfo() {
        com.google.rpc.Status status = assertStatus(Status.Code.NOT_FOUND,
                () -> users.getUserById(GetUserRequest.newBuilder().setId(999_999).build()));
        ResourceInfo info = detail(status, ResourceInfo.class);
        assertEquals("user", info.getResourceType());
        assertEquals("users/999999", info.getResourceName());
    }

    @Test
    void getUserByIdRejectsNonPositiveId() {
        assertInvalid(() -> users.getUserById(GetUserRequest.newBuilder().setId(0).build()), "id");
        assertInvalid(() -> users.getUserById(GetUserRequest.newBuilder().setId(-3).build()), "id");
    }

    // --- GetAllUsers ---

    @Test
    void getAllUsersReturnsEveryUserByIdWithOrders() {
        List<User> all = users.getAllUsers(GetAllUsersRequest.getDefaultInstance()).getUsersList();
        assertEquals(db.count("users"), all.size());
        assertEquals(List.of(1, 2, 3), all.subList(0, 3).stream().map(User::getId).toList());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).getId() < all.get(i).getId());
        }
        assertEquals(List.of("pencil", "book", "magic stick"),
                all.get(0).getOrdersList().subList(0, 3).stream().map(o -> o.getItem().getName()).toList());
        assertEquals(4, all.get(1).getOrders(0).getId());
        assertEquals("jovica.jovic@gamil.com", all.get(2).getEmail());
        assertEquals(db.count("orders"), all.stream().mapToLong(User::getOrdersCount).sum());
    }

    // --- CreateUser ---

    @Test
    void createUserThenGetIt() {
        String email = TestDb.uniqueEmail();
        User created = users.createUser(create("  Ana ", "Anic", email));
        assertTrue(created.getId() > 3, "ids after the demo ids");
        assertEquals("Ana", created.getFirstName(), "surrounding whitespace is removed");
        assertEquals(0, created.getOrdersCount());
        User read = users.getUserById(GetUserRequest.newBuilder().setId(created.getId()).build()).getUser();
        assertEquals(created, read);
        assertEquals(email, read.getEmail());
    }

    @Test
    void createUserReportsEveryBadFieldAndWritesNothing() {
        String before = db.snapshot();
        assertInvalid(() -> users.createUser(create(" ", "x".repeat(101), "not-an-email")),
                "first_name", "last_name", "email");
        assertInvalid(() -> users.createUser(create("A", "B", "a@" + "x".repeat(250) + ".com")), "email");
        assertInvalid(() -> users.createUser(create("A\u0000", "B", TestDb.uniqueEmail())), "first_name");
        assertEquals(before, db.snapshot());
    }

    @Test
    void createUserWithTakenEmailIsAlreadyExistsInAnyCase() {
        String email = TestDb.uniqueEmail();
        users.createUser(create("A", "B", email));
        String before = db.snapshot();
        assertStatus(Status.Code.ALREADY_EXISTS, () -> users.createUser(create("C", "D", email)));
        com.google.rpc.Status status =
                assertStatus(Status.Code.ALREADY_EXISTS, () -> users.createUser(create("C", "D", email.toUpperCase())));
        assertEquals("user", detail(status, ResourceInfo.class).getResourceType());
        assertStatus(Status.Code.ALREADY_EXISTS,
                () -> users.createUser(create("C", "D", "PETAR.Petrovic@gmail.com")));
        assertEquals(before, db.snapshot());
    }

    // --- UpdateUser ---

    @Test
    void updateUserWithoutMaskChangesEveryField() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        String email = TestDb.uniqueEmail();
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(user.getId()).setFirstName("A2").setLastName("B2").setEmail(email))
                .build());
        assertEquals(List.of("A2", "B2", email), List.of(updated.getFirstName(), updated.getLastName(), updated.getEmail()));
        assertEquals(updated, users.getUserById(GetUserRequest.newBuilder().setId(user.getId()).build()).getUser());
    }

    @Test
    void updateUserWithoutMaskChangesOnlyThePopulatedFields() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                // AIP-134: no mask means the populated fields; the empty last_name and e-mail stay
                .setUser(User.newBuilder().setId(user.getId()).setFirstName("A3"))
                .build());
        assertEquals(user.toBuilder().setFirstName("A3").setEtag("\"1\"").build(), updated);
    }

    @Test
    void updateUserWithMaskChangesOnlyTheNamedFields() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                // only last_name is masked: the blank first_name and e-mail are neither checked nor written
                .setUser(User.newBuilder().setId(user.getId()).setLastName("Z"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("last_name"))
                .build());
        assertEquals(user.toBuilder().setLastName("Z").setEtag("\"1\"").build(), updated);
    }

    @Test
    void updateUserReturnsTheUsersOrders() {
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(1).setFirstName("Petar"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("first_name"))
                .build());
        assertTrue(updated.getOrdersCount() >= 3);
    }

    @Test
    void updateUserKeepingOwnEmailInOtherCaseIsAllowed() {
        String email = TestDb.uniqueEmail();
        User user = users.createUser(create("A", "B", email));
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(user.getId()).setEmail(email.toUpperCase()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("email"))
                .build());
        assertEquals(email.toUpperCase(), updated.getEmail());
    }

    @Test
    void updateUserRejectsBadMaskAndValuesAndWritesNothing() {
        String before = db.snapshot();
        assertInvalid(() -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(1).setFirstName("X"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("id").addPaths("orders").addPaths("nickname").addPaths("first_name"))
                .build()), "update_mask", "update_mask", "update_mask");
        // the proto's rules (id, e-mail) are checked before the service runs, together; the service's
        // own rule (a masked field may not be emptied) only for a request that passes them
        assertInvalid(() -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(0).setFirstName("").setLastName("B").setEmail("bad"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("*"))
                .build()), "user.id", "user.email");
        assertInvalid(() -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(1).setFirstName("").setLastName("B").setEmail("x@example.com"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("*"))
                .build()), "user.first_name");
        assertInvalid(() -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(0).setFirstName("").setLastName("B").setEmail("bad"))
                .build()), "user.id", "user.email");
        assertInvalid(() -> users.updateUser(UpdateUserRequest.getDefaultInstance()), "user");
        assertEquals(before, db.snapshot());
    }

    @Test
    void updateUnknownUserIsNotFound() {
        assertStatus(Status.Code.NOT_FOUND, () -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(999_999).setLastName("Z"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("last_name"))
                .build()));
    }

    @Test
    void updateUserToTakenEmailIsAlreadyExistsAndWritesNothing() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        String before = db.snapshot();
        assertStatus(Status.Code.ALREADY_EXISTS, () -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(user.getId()).setFirstName("New").setLastName("B").setEmail("Jovan.Jovanovic@gmail.com"))
                .build()));
        assertEquals(before, db.snapshot());
    }

    // --- DeleteUser (AIP-135) ---

    @Test
    void deleteUserWithoutOrders() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        users.deleteUser(DeleteUserRequest.newBuilder().setId(user.getId()).build());
        assertStatus(Status.Code.NOT_FOUND, () -> users.getUserById(GetUserRequest.newBuilder().setId(user.getId()).build()));
    }

    @Test
    void deleteUserWithOrdersNeedsForce() {
        User user = users.createUser(create("A", "B", TestDb.uniqueEmail()));
        orders.createOrder(CreateOrderRequest.newBuilder().setUserId(user.getId()).setItemId(4).setAmount(1).build());
        String before = db.snapshot();
        com.google.rpc.Status status = assertStatus(Status.Code.FAILED_PRECONDITION,
                () -> users.deleteUser(DeleteUserRequest.newBuilder().setId(user.getId()).build()));
        PreconditionFailure.Violation violation = detail(status, PreconditionFailure.class).getViolations(0);
        assertEquals("ORDERS_EXIST", violation.getType());
        assertEquals("users/" + user.getId(), violation.getSubject());
        assertEquals(before, db.snapshot());

        long ordersBefore = db.count("orders");
        users.deleteUser(DeleteUserRequest.newBuilder().setId(user.getId()).setForce(true).build());
        assertEquals(ordersBefore - 1, db.count("orders"));
        assertStatus(Status.Code.NOT_FOUND, () -> users.getUserById(GetUserRequest.newBuilder().setId(user.getId()).build()));
    }

    @Test
    void deleteUnknownOrInvalidUser() {
        assertStatus(Status.Code.NOT_FOUND, () -> users.deleteUser(DeleteUserRequest.newBuilder().setId(999_999).setForce(true).build()));
        assertInvalid(() -> users.deleteUser(DeleteUserRequest.newBuilder().setId(-1).build()), "id");
    }

    static CreateUserRequest create(String firstName, String lastName, String email) {
        return CreateUserRequest.newBuilder().setFirstName(firstName).setLastName(lastName).setEmail(email).build();
    }
}
