package dev.tandem.validation;

import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The request rules of the protos, enforced by {@link ValidationInterceptor} for both protocols
 * against the running application and its database: every constrained field of every request
 * (protovalidate's {@code (buf.validate.field)} rules and {@code google.api.field_behavior}), each
 * sent once over gRPC and once over REST, must be refused with {@code INVALID_ARGUMENT} / 400 and a
 * {@code google.rpc.BadRequest} naming exactly that field with the rule's description, and must
 * write nothing (a fingerprint of every table before and after). Then: several violations at once,
 * {@code REQUIRED} fields, {@code OUTPUT_ONLY} values in input ignored, immutable fields refused in
 * an update mask.
 */
@QuarkusTest
class ValidationInterceptorTest {

    private static final String BAD_REQUEST = "details.find { it.'@type' == 'type.googleapis.com/google.rpc.BadRequest' }";

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @GrpcClient("tandem")
    ItemServiceGrpc.ItemServiceBlockingStub items;

    @GrpcClient("tandem")
    OrderExportServiceGrpc.OrderExportServiceBlockingStub export;

    @Inject
    TestDb db;

    /** A REST request: method, path with query, JSON body or null. */
    record Rest(String method, String path, String body) {}

    /**
     * One invalid request: the field it breaks, a part of the expected description, the gRPC call
     * and the same request over REST (null where REST cannot express it).
     */
    record Case(String name, String field, String description, Executable grpc, Rest rest) {}

    private static final String LONG_NAME = "x".repeat(101);

    List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // --- ids > 0, REQUIRED ---
        c.add(new Case("GetUserById id 0", "id", "is required",
                () -> users.getUserById(GetUserRequest.newBuilder().setId(0).build()), new Rest("GET", "/v1/users/0", null)));
        c.add(new Case("GetUserById id -3", "id", "must be greater than 0",
                () -> users.getUserById(GetUserRequest.newBuilder().setId(-3).build()), new Rest("GET", "/v1/users/-3", null)));
        c.add(new Case("DeleteUser id -1", "id", "must be greater than 0",
                () -> users.deleteUser(DeleteUserRequest.newBuilder().setId(-1).setForce(true).build()),
                new Rest("DELETE", "/v1/users/-1?force=true", null)));
        c.add(new Case("GetOrdersByUserId user_id 0", "user_id", "is required",
                () -> orders.getOrdersByUserId(OrdersByUserIdRequest.newBuilder().build()), new Rest("GET", "/v1/users/0/orders", null)));
        c.add(new Case("GetOrder id -7", "id", "must be greater than 0",
                () -> orders.getOrder(GetOrderRequest.newBuilder().setId(-7).build()), new Rest("GET", "/v1/orders/-7", null)));
        c.add(new Case("GetItem id -5", "id", "must be greater than 0",
                () -> items.getItem(GetItemRequest.newBuilder().setId(-5).build()), new Rest("GET", "/v1/items/-5", null)));
        c.add(new Case("ExportOrders user_id -1", "user_id", "must be greater than or equal to 0",
                () -> export.exportOrders(ExportOrdersRequest.newBuilder().setUserId(-1).build()).hasNext(),
                new Rest("GET", "/v1/users/-1/orders:export", null)));
        // --- CreateUser: names and e-mail ---
        c.add(createUser("first_name missing", "first_name", "is required", "", "B", "c@example.com"));
        c.add(createUser("first_name blank", "first_name", "must not be blank", "  ", "B", "c@example.com"));
        c.add(createUser("first_name of Unicode spaces", "first_name", "must not be blank", "\u2003\u00a0", "B", "c@example.com"));
        c.add(createUser("first_name with a control character", "first_name", "must not contain control characters",
                "A\u0007", "B", "c@example.com"));
        c.add(createUser("last_name too long", "last_name", "length must be at most 100 characters", "A", LONG_NAME, "c@example.com"));
        c.add(createUser("email missing", "email", "is required", "A", "B", ""));
        c.add(createUser("email malformed", "email", "must be a valid email address", "A", "B", "not-an-email"));
        c.add(createUser("email without a dot in the domain", "email", "must have a domain with a dot", "A", "B", "a@localhost"));
        c.add(createUser("email too long", "email", "length must be at most 254 characters",
                "A", "B", "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".com"));
        c.add(new Case("CreateUser request_id not a UUID", "request_id", "must be a valid UUID",
                () -> users.createUser(CreateUserRequest.newBuilder().setFirstName("A").setLastName("B")
                        .setEmail(TestDb.uniqueEmail()).setRequestId("42").build()),
                new Rest("POST", "/v1/users", "{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"" + TestDb.uniqueEmail()
                        + "\",\"requestId\":\"42\"}")));
        // --- UpdateUser: the user's values, the mask ---
        c.add(new Case("UpdateUser without user", "user", "is required",
                () -> users.updateUser(UpdateUserRequest.getDefaultInstance()), null));
        c.add(updateUser("user.id 0", "user.id", "must be greater than 0", User.newBuilder().setId(0).setFirstName("X"), null,
                new Rest("PATCH", "/v1/users/0", "{\"firstName\":\"X\"}")));
        c.add(updateUser("user.first_name too long", "user.first_name", "length must be at most 100 characters",
                User.newBuilder().setId(1).setFirstName(LONG_NAME), null,
                new Rest("PATCH", "/v1/users/1", "{\"firstName\":\"" + LONG_NAME + "\"}")));
        c.add(updateUser("user.last_name blank", "user.last_name", "must not be blank",
                User.newBuilder().setId(1).setLastName("   "), "last_name",
                new Rest("PATCH", "/v1/users/1?updateMask=lastName", "{\"lastName\":\"   \"}")));
        c.add(updateUser("user.email malformed", "user.email", "must be a valid email address",
                User.newBuilder().setId(1).setEmail("bad"), null, new Rest("PATCH", "/v1/users/1", "{\"email\":\"bad\"}")));
        c.add(updateUser("mask names the IDENTIFIER id", "update_mask", "path \"id\" is immutable",
                User.newBuilder().setId(1).setFirstName("X"), "id", new Rest("PATCH", "/v1/users/1?updateMask=id", "{\"firstName\":\"X\"}")));
        c.add(updateUser("mask names the OUTPUT_ONLY orders", "update_mask", "path \"orders\" is output only",
                User.newBuilder().setId(1).setFirstName("X"), "orders",
                new Rest("PATCH", "/v1/users/1?updateMask=orders", "{\"firstName\":\"X\"}")));
        c.add(updateUser("mask names no field", "update_mask", "path \"nickname\" is not a field of user.v1.User",
                User.newBuilder().setId(1).setFirstName("X"), "nickname",
                new Rest("PATCH", "/v1/users/1?updateMask=nickname", "{\"firstName\":\"X\"}")));
        // --- page sizes ---
        c.add(new Case("ListUsers page_size -1", "page_size", "must be greater than or equal to 0 and less than or equal to 1000",
                () -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(-1).build()), new Rest("GET", "/v1/users?pageSize=-1", null)));
        c.add(new Case("ListUsers page_size 1001", "page_size", "less than or equal to 1000",
                () -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(1001).build()), new Rest("GET", "/v1/users?pageSize=1001", null)));
        // --- CreateOrder: ids and amounts ---
        c.add(createOrder("user_id negative", "user_id", "must be greater than 0", -1, 1, 1, ""));
        c.add(createOrder("item_id missing", "item_id", "is required", 2, 0, 1, ""));
        c.add(createOrder("amount negative", "amount", "must be greater than 0", 2, 1, -5, ""));
        c.add(createOrder("request_id not a UUID", "request_id", "must be a valid UUID", 2, 1, 1, "{not-a-uuid}"));
        // --- CreateItem: its name ---
        c.add(createItem("name missing", "name", "is required", ""));
        c.add(createItem("name blank", "name", "must not be blank", " \t "));
        c.add(createItem("name too long", "name", "length must be at most 255 characters", "n".repeat(256)));
        c.add(createItem("name with a control character", "name", "must not contain control characters", "a\u0000b"));
        return c;
    }

    @Test
    void everyRequestTypeWithRulesHasACase() {
        List<Case> cases = cases();
        assertEquals(35, cases.size(), "cases");
        assertEquals(cases.size(), cases.stream().map(Case::name).distinct().count(), "distinct case names");
    }

    @TestFactory
    Stream<DynamicTest> overGrpcEachBrokenRuleIsInvalidArgumentNamingTheFieldAndWritesNothing() {
        return cases().stream().map(k -> DynamicTest.dynamicTest("gRPC " + k.name(), () -> {
            String before = db.snapshot();
            BadRequest bad = detail(assertStatus(Status.Code.INVALID_ARGUMENT, k.grpc()), BadRequest.class);
            assertEquals(List.of(k.field()), bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());
            String description = bad.getFieldViolations(0).getDescription();
            assertTrue(description.contains(k.description()), description);
            assertEquals(before, db.snapshot(), "nothing is written");
        }));
    }

    @TestFactory
    Stream<DynamicTest> overRestEachBrokenRuleIs400NamingTheFieldAndWritesNothing() {
        return cases().stream().filter(k -> k.rest() != null).map(k -> DynamicTest.dynamicTest("REST " + k.name(), () -> {
            String before = db.snapshot();
            send(k.rest()).statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("code", equalTo(3))
                    .body(BAD_REQUEST + ".fieldViolations.field", contains(k.field()))
                    .body(BAD_REQUEST + ".fieldViolations[0].description",
                            org.hamcrest.Matchers.containsString(k.description()));
            assertEquals(before, db.snapshot(), "nothing is written");
        }));
    }

    @Test
    void everyViolationOfARequestIsReportedOncePerFieldInDeclarationOrder() {
        String email = "x".repeat(300);
        CreateUserRequest request = CreateUserRequest.newBuilder().setFirstName(" ").setLastName(LONG_NAME)
                .setEmail(email).setRequestId("nope").build();
        String before = db.snapshot();
        BadRequest bad = detail(assertStatus(Status.Code.INVALID_ARGUMENT, () -> users.createUser(request)), BadRequest.class);
        assertEquals(List.of("first_name", "last_name", "email", "request_id"),
                bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());
        // protovalidate reports each broken rule of a field; they come as one violation
        assertEquals("length must be at most 254 characters; must be a valid email address",
                bad.getFieldViolations(2).getDescription());
        send(new Rest("POST", "/v1/users", "{\"firstName\":\" \",\"lastName\":\"" + LONG_NAME + "\",\"email\":\"" + email
                + "\",\"requestId\":\"nope\"}")).statusCode(400)
                .body("message", equalTo("invalid request: first_name must not be blank; "
                        + "last_name length must be at most 100 characters; "
                        + "email length must be at most 254 characters; must be a valid email address; "
                        + "request_id must be a valid UUID"))
                .body(BAD_REQUEST + ".fieldViolations.field", contains("first_name", "last_name", "email", "request_id"));
        assertEquals(before, db.snapshot());
    }

    @Test
    void missingRequiredFieldsAreEachNamed() {
        String before = db.snapshot();
        BadRequest bad = detail(assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> orders.createOrder(CreateOrderRequest.getDefaultInstance())), BadRequest.class);
        assertEquals(List.of("user_id", "item_id", "amount"),
                bad.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());
        bad.getFieldViolationsList().forEach(v -> assertEquals("is required", v.getDescription()));
        send(new Rest("POST", "/v1/users/2/orders", "{}")).statusCode(400)
                .body(BAD_REQUEST + ".fieldViolations.field", contains("item_id", "amount"));
        send(new Rest("POST", "/v1/users", "{}")).statusCode(400)
                .body(BAD_REQUEST + ".fieldViolations.field", contains("first_name", "last_name", "email"));
        assertEquals(before, db.snapshot());
    }

    @Test
    void outputOnlyOrdersInAnUpdateAreIgnored() {
        User user = users.createUser(CreateUserRequest.newBuilder().setFirstName("Out").setLastName("Put")
                .setEmail(TestDb.uniqueEmail()).build());
        orders.createOrder(CreateOrderRequest.newBuilder().setUserId(user.getId()).setItemId(1).setAmount(2).build());
        long ordersBefore = db.count("orders");
        // a forged order (invalid amount, another user, an id of its own) rides along in the output-only field
        Order forged = Order.newBuilder().setId(999_999).setUserId(1).setAmount(-1).build();
        User updated = users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(user.getId()).setFirstName("Grpc").addOrders(forged))
                .build());
        assertEquals("Grpc", updated.getFirstName());
        assertEquals(1, updated.getOrdersCount());
        assertEquals(2, updated.getOrders(0).getAmount());

        given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"Rest\",\"orders\":[{\"id\":999999,\"userId\":1,\"amount\":-1}]}")
                .patch("/v1/users/" + user.getId()).then()
                .statusCode(200)
                .body("firstName", equalTo("Rest"))
                .body("orders", hasSize(1))
                .body("orders[0].amount", equalTo(2));
        assertEquals(ordersBefore, db.count("orders"));
        assertEquals(1, db.single("select count(*) from orders where user_id = " + user.getId()));
    }

    @Test
    void anImmutableFieldInTheUpdateMaskIsRefusedAndWritesNothing() {
        String before = db.snapshot();
        BadRequest bad = detail(assertStatus(Status.Code.INVALID_ARGUMENT, () -> users.updateUser(UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(2).setFirstName("Changed"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("first_name").addPaths("id"))
                .build())), BadRequest.class);
        assertEquals("update_mask", bad.getFieldViolations(0).getField());
        assertEquals("path \"id\" is immutable and may not be updated (AIP-203)", bad.getFieldViolations(0).getDescription());
        send(new Rest("PATCH", "/v1/users/2?updateMask=firstName,id", "{\"firstName\":\"Changed\"}")).statusCode(400)
                .body(BAD_REQUEST + ".fieldViolations.description", contains("path \"id\" is immutable and may not be updated (AIP-203)"));
        assertEquals(before, db.snapshot());
    }

    private ValidatableResponse send(Rest r) {
        RequestSpecification spec = given();
        if (r.body() != null) {
            spec = spec.contentType(ContentType.JSON).body(r.body());
        }
        return spec.request(r.method(), r.path()).then();
    }

    private Case createUser(String name, String field, String description, String first, String last, String email) {
        CreateUserRequest request = CreateUserRequest.newBuilder().setFirstName(first).setLastName(last).setEmail(email).build();
        return new Case("CreateUser " + name, field, description, () -> users.createUser(request),
                new Rest("POST", "/v1/users", "{\"firstName\":" + json(first) + ",\"lastName\":" + json(last)
                        + ",\"email\":" + json(email) + "}"));
    }

    private Case updateUser(String name, String field, String description, User.Builder user, String maskPath, Rest rest) {
        UpdateUserRequest.Builder request = UpdateUserRequest.newBuilder().setUser(user);
        if (maskPath != null) {
            request.setUpdateMask(FieldMask.newBuilder().addPaths(maskPath));
        }
        return new Case("UpdateUser " + name, field, description, () -> users.updateUser(request.build()), rest);
    }

    private Case createOrder(String name, String field, String description, int userId, int itemId, int amount, String requestId) {
        CreateOrderRequest request = CreateOrderRequest.newBuilder().setUserId(userId).setItemId(itemId).setAmount(amount)
                .setRequestId(requestId).build();
        return new Case("CreateOrder " + name, field, description, () -> orders.createOrder(request),
                new Rest("POST", "/v1/users/" + userId + "/orders", "{\"itemId\":" + itemId + ",\"amount\":" + amount
                        + (requestId.isEmpty() ? "" : ",\"requestId\":" + json(requestId)) + "}"));
    }

    private Case createItem(String name, String field, String description, String itemName) {
        return new Case("CreateItem " + name, field, description,
                () -> items.createItem(CreateItemRequest.newBuilder().setName(itemName).build()),
                new Rest("POST", "/v1/items", "{\"name\":" + json(itemName) + "}"));
    }

    /** A JSON string literal; control characters as \\u escapes. */
    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
