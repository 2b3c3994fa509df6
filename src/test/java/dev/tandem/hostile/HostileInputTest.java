package dev.tandem.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * More than a hundred hostile requests over REST and gRPC: truncated and malformed JSON and
 * protobuf, wrong types, overflowing numbers, invalid UTF-8, huge strings, bodies and repeated
 * fields, deep nesting, {@code %2e%2e} and encoded-slash paths, SQL meta-characters, unknown enum
 * values, zero and negative ids, oversized page sizes and forged page tokens.
 *
 * <p>Each must get a clear 4xx (REST; with a {@code google.rpc.Status} body whenever Tandem
 * answers) or a status that is neither {@code INTERNAL} nor {@code UNKNOWN} (gRPC), and a
 * fingerprint of every table taken before and after each request proves nothing was written.
 */
@QuarkusTest
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ManagedChannel channel;

    @Inject
    TestDb db;

    @TestHTTPResource("/")
    URL server;

    /** A REST request: method, raw target (path and query, sent as is), optional JSON body bytes. */
    record Rest(String name, String method, String target, String contentType, byte[] body) {
        static Rest json(String name, String method, String target, String body) {
            return new Rest(name, method, target, "application/json",
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A gRPC request: full method name and the raw request bytes. */
    record Rpc(String name, String method, byte[] request) {}

    @AfterAll
    static void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Exactly the requests listed below, each under its own name (a dropped or doubled case fails). */
    @Test
    void theSuiteHasExactlyItsRequests() {
        assertEquals(REST_CASES, rest().size(), "REST cases");
        assertEquals(GRPC_CASES, grpc().size(), "gRPC cases");
        assertEquals(REST_CASES, rest().stream().map(Rest::name).distinct().count(), "distinct REST case names");
        assertEquals(GRPC_CASES, grpc().stream().map(Rpc::name).distinct().count(), "distinct gRPC case names");
    }

    @TestFactory
    Stream<DynamicTest> restRequestsGetAClear4xxAndWriteNothing() {
        return rest().stream().map(r -> DynamicTest.dynamicTest("REST " + r.name(), () -> {
            String before = db.snapshot();
            RawHttp.Response response = RawHttp.send(server.getHost(), server.getPort(), r.method(), r.target(),
                    r.body() == null ? null : r.contentType(), r.body());
            assertTrue(response.status() >= 400 && response.status() < 500,
                    "HTTP " + response.status() + " " + response.body());
            if (r.target().startsWith("/api/")) {
                // the old gateway's routes answer every failure as it did (see LegacyGatewayJspbTest)
                assertEquals(404, response.status());
                assertEquals("{\"error\":\"Not found\"}", response.body());
            } else if (!response.body().isEmpty()) {
                JsonNode status = JSON.readTree(response.body());
                int code = status.path("code").asInt(-1);
                assertTrue(code > 0 && code != 2 && code != 13, "google.rpc.Status code " + code + ": " + response.body());
                assertFalse(status.path("message").asText().isEmpty(), response.body());
            }
            assertEquals(before, db.snapshot(), "nothing is written");
        }));
    }

    @TestFactory
    Stream<DynamicTest> grpcRequestsGetANonInternalErrorAndWriteNothing() {
        return grpc().stream().map(r -> DynamicTest.dynamicTest("gRPC " + r.name(), () -> {
            String before = db.snapshot();
            Status.Code code = call(r.method(), r.request());
            assertNotEquals(Status.Code.OK, code);
            assertNotEquals(Status.Code.INTERNAL, code);
            assertNotEquals(Status.Code.UNKNOWN, code);
            assertEquals(before, db.snapshot(), "nothing is written");
        }));
    }

    private Status.Code call(String fullMethod, byte[] request) {
        if (channel == null) {
            channel = Grpc.newChannelBuilderForAddress(server.getHost(), server.getPort(),
                    InsecureChannelCredentials.create()).build();
        }
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethod)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES)
                .build();
        try {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    // ---------------------------------------------------------------- REST cases

    /** How many REST cases {@link #rest()} lists. */
    static final int REST_CASES = 123;

    static List<Rest> rest() {
        List<Rest> c = new ArrayList<>();
        String ok = "{\"firstName\":\"Hos\",\"lastName\":\"Tile\",\"email\":\"hostile@example.com\"}";
        // truncated and malformed JSON
        for (int cut : new int[] {1, 5, 13, 30, ok.length() - 1}) {
            c.add(Rest.json("truncated create at " + cut, "POST", "/v1/users", ok.substring(0, cut)));
        }
        for (String bad : List.of("{", "}", "[", "]", "{\"firstName\"}", "{\"firstName\":}", "{firstName:\"a\"}",
                "{'firstName':'a'}", "{\"firstName\":\"a\",}", "{\"firstName\":\"a\"}}", "nul", "\"just a string\"",
                "{\"firstName\":\"a\" \"lastName\":\"b\"}", "{\"firstName\":\"\\u12\"}", "{\"firstName\":\"\\x41\"}",
                ok + " trailing", "{\"firstName\":NaN}", "{\"email\":\"a@b.c\"}/*comment*/")) {
            c.add(Rest.json("malformed create " + bad, "POST", "/v1/users", bad));
        }
        // wrong types
        for (String bad : List.of("{\"firstName\":1,\"lastName\":\"b\",\"email\":\"w1@example.com\"}",
                "{\"firstName\":true,\"lastName\":\"b\",\"email\":\"w2@example.com\"}",
                "{\"firstName\":[\"a\"],\"lastName\":\"b\",\"email\":\"w3@example.com\"}",
                "{\"firstName\":{\"a\":1},\"lastName\":\"b\",\"email\":\"w4@example.com\"}",
                "{\"firstName\":\"a\",\"lastName\":\"b\",\"email\":[]}", "[1,2,3]", "12345", "true")) {
            c.add(Rest.json("wrong type " + bad, "POST", "/v1/users", bad));
        }
        // unknown and output-only fields, SQL meta-characters in invalid places
        c.add(Rest.json("unknown field", "POST", "/v1/users", ok.replace("}", ",\"isAdmin\":true}")));
        c.add(Rest.json("output-only orders in create", "POST", "/v1/users", ok.replace("}", ",\"orders\":[{}]}")));
        for (String email : List.of("a'--@x", "x@y.z'; DROP TABLE users; --", "\"or 1=1--", "';shutdown;--")) {
            c.add(Rest.json("SQL in email " + email, "POST", "/v1/users",
                    "{\"firstName\":\"a\",\"lastName\":\"b\",\"email\":" + quote(email) + "}"));
        }
        // huge strings, bodies, repeated fields and deep nesting
        c.add(Rest.json("10k first name", "POST", "/v1/users", ok.replace("Hos", "x".repeat(10_000))));
        c.add(Rest.json("1000-char email", "POST", "/v1/users", ok.replace("hostile", "h".repeat(1000))));
        c.add(Rest.json("2 MB body", "POST", "/v1/users", ok.replace("Hos", "x".repeat(2_000_000))));
        c.add(Rest.json("100k unknown repeated", "POST", "/v1/users",
                ok.replace("}", ",\"ids\":[" + "1,".repeat(100_000) + "1]}")));
        c.add(Rest.json("deep nesting 10000", "POST", "/v1/users", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        c.add(Rest.json("deep arrays 5000", "POST", "/v1/items", "[".repeat(5000) + "]".repeat(5000)));
        // invalid UTF-8 and control characters
        c.add(new Rest("invalid UTF-8 body", "POST", "/v1/users", "application/json", concat(
                "{\"firstName\":\"", new byte[] {(byte) 0xC3, 0x28}, "\",\"lastName\":\"b\",\"email\":\"u8@example.com\"}")));
        c.add(new Rest("lone surrogate bytes", "POST", "/v1/users", "application/json", concat(
                "{\"firstName\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\",\"lastName\":\"b\",\"email\":\"u9@example.com\"}")));
        c.add(Rest.json("NUL in name", "POST", "/v1/users", ok.replace("Hos", "Ho\\u0000s")));
        c.add(Rest.json("escaped lone surrogate", "POST", "/v1/users", ok.replace("Hos", "\\ud800")));
        // wrong content types
        c.add(new Rest("form body", "POST", "/v1/users", "application/x-www-form-urlencoded",
                "firstName=a&lastName=b&email=f@example.com".getBytes(StandardCharsets.UTF_8)));
        c.add(new Rest("xml body", "POST", "/v1/users", "application/xml", "<user/>".getBytes(StandardCharsets.UTF_8)));
        c.add(new Rest("protobuf body on REST", "POST", "/v1/users", "application/x-protobuf",
                CreateUserRequest.newBuilder().setFirstName("a").setLastName("b").setEmail("p@example.com").build().toByteArray()));
        // orders and items
        for (String bad : List.of("{\"itemId\":1,\"amount\":0}", "{\"itemId\":1,\"amount\":-5}", "{\"itemId\":0,\"amount\":1}",
                "{\"itemId\":-1,\"amount\":1}", "{\"itemId\":999999,\"amount\":1}", "{\"itemId\":2147483648,\"amount\":1}",
                "{\"itemId\":1,\"amount\":1e400}", "{\"itemId\":1,\"amount\":\"many\"}", "{\"itemId\":1.5,\"amount\":1}",
                "{\"itemId\":1,\"amount\":99999999999999999999}", "{\"itemId\":\"1 OR 1=1\",\"amount\":1}")) {
            c.add(Rest.json("create order " + bad, "POST", "/v1/users/2/orders", bad));
        }
        for (String user : List.of("0", "-1", "999999", "2147483648", "abc", "1%20OR%201=1", "%2e%2e")) {
            c.add(Rest.json("create order for user " + user, "POST", "/v1/users/" + user + "/orders", "{\"itemId\":1,\"amount\":1}"));
        }
        for (String bad : List.of("{}", "{\"name\":\"\"}", "{\"name\":\"   \"}", "{\"name\":\"" + "n".repeat(300) + "\"}",
                "{\"name\":null,\"extra\":1}", "{\"id\":5,\"name\":\"forged id\",\"x\":1}")) {
            c.add(Rest.json("create item " + bad, "POST", "/v1/items", bad));
        }
        // paths: traversal, encoded slashes, bad ids
        for (String path : List.of("/v1/users/%2e%2e/1", "/v1/users/..%2F1", "/v1/users/1%2F2", "/v1/users/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/v1/users/0", "/v1/users/-1", "/v1/users/00", "/v1/users/1.0", "/v1/users/0x10", "/v1/users/99999999999",
                "/v1/users/%00", "/v1/users/%zz", "/v1/orders/0", "/v1/orders/-7", "/v1/items/-5", "/api/users/0",
                "/v1/users/1/orders/../../items", "/v1/users/-1/orders:export", "/v1/users//orders")) {
            c.add(Rest.json("GET " + path, "GET", path, null));
        }
        for (String path : List.of("/v1/users/0", "/v1/users/-1", "/v1/users/%2e%2e", "/v1/users/1%2F2", "/v1/users/1?force=maybe")) {
            c.add(Rest.json("DELETE " + path, "DELETE", path, null));
        }
        c.add(Rest.json("DELETE demo user 1 without force", "DELETE", "/v1/users/1", null));
        // updates
        c.add(Rest.json("PATCH bad mask", "PATCH", "/v1/users/1?updateMask=orders", "{\"firstName\":\"X\"}"));
        c.add(Rest.json("PATCH id in mask", "PATCH", "/v1/users/1?updateMask=id", "{\"id\":7}"));
        c.add(Rest.json("PATCH unknown mask path", "PATCH", "/v1/users/1?updateMask=password", "{\"firstName\":\"X\"}"));
        c.add(Rest.json("PATCH blank name", "PATCH", "/v1/users/1?updateMask=firstName", "{\"firstName\":\"  \"}"));
        c.add(Rest.json("PATCH taken email", "PATCH", "/v1/users/3", "{\"email\":\"PETAR.PETROVIC@gmail.com\"}"));
        c.add(Rest.json("PATCH malformed email", "PATCH", "/v1/users/1", "{\"email\":\"not an email\"}"));
        c.add(Rest.json("PATCH unknown user", "PATCH", "/v1/users/999999", "{\"firstName\":\"X\"}"));
        c.add(Rest.json("PATCH body on the id", "PATCH", "/v1/users/0", "{\"firstName\":\"X\"}"));
        // paging
        for (String q : List.of("pageSize=-1", "pageSize=1001", "pageSize=2147483647", "pageSize=99999999999", "pageSize=abc",
                "pageSize=1&pageSize=2", "pageToken=AAAA", "pageToken=%27%20OR%201%3D1%20--", "pageToken=" + "A".repeat(10_000),
                "pageToken=not-base64!!", "page_token=AQAAAAEAAAAA", "pageSize=10;DROP%20TABLE%20users", "unknown=1")) {
            c.add(Rest.json("list " + q, "GET", "/v1/users?" + q, null));
        }
        // unknown enum values and malformed headers, on the test-only echo service
        c.add(Rest.json("unknown enum name", "GET", "/v1/colors/PURPLE", null));
        c.add(Rest.json("unknown enum number", "GET", "/v1/colors/99", null));
        c.add(Rest.json("unknown enum in body", "POST", "/v1/kitchens", "{\"color\":\"PURPLE\"}"));
        return c;
    }

    // ---------------------------------------------------------------- gRPC cases

    /** How many gRPC cases {@link #grpc()} lists. */
    static final int GRPC_CASES = 44;

    static List<Rpc> grpc() {
        List<Rpc> c = new ArrayList<>();
        String create = "user.v1.UserService/CreateUser";
        byte[] valid = CreateUserRequest.newBuilder().setFirstName("Gr").setLastName("Pc").setEmail("grpc-hostile@example.com")
                .build().toByteArray();
        for (int cut : new int[] {1, 3, 7, valid.length - 1}) {
            c.add(new Rpc("truncated CreateUser at " + cut, create, Arrays.copyOf(valid, cut)));
        }
        c.add(new Rpc("length beyond the message", create, new byte[] {0x0A, 0x7F, 'a'}));
        c.add(new Rpc("varint that never ends", create, new byte[] {0x08, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        c.add(new Rpc("invalid wire type", create, new byte[] {0x0F, 0x01}));
        c.add(new Rpc("field number zero", create, new byte[] {0x02, 0x01, 'a'}));
        c.add(new Rpc("end-group without start", create, new byte[] {0x0C}));
        c.add(new Rpc("invalid UTF-8 in first_name", create, concat(new byte[] {0x0A, 0x02, (byte) 0xC3, 0x28})));
        c.add(new Rpc("empty CreateUser", create, new byte[0]));
        c.add(new Rpc("wrong wire type for a string", create, new byte[] {0x08, 0x01}));
        c.add(new Rpc("huge first_name", create, CreateUserRequest.newBuilder().setFirstName("x".repeat(100_000))
                .setLastName("b").setEmail("huge@example.com").build().toByteArray()));
        c.add(new Rpc("SQL in email", create, CreateUserRequest.newBuilder().setFirstName("a").setLastName("b")
                .setEmail("x'; DROP TABLE users; --").build().toByteArray()));
        c.add(new Rpc("duplicate demo email", create, CreateUserRequest.newBuilder().setFirstName("a").setLastName("b")
                .setEmail("Petar.Petrovic@GMAIL.com").build().toByteArray()));
        c.add(new Rpc("5 MB message", create, CreateUserRequest.newBuilder().setFirstName("x".repeat(5_000_000))
                .setLastName("b").setEmail("big@example.com").build().toByteArray()));
        c.add(new Rpc("a GetUserRequest sent to CreateUser", create, GetUserRequest.newBuilder().setId(1).build().toByteArray()));
        for (int id : new int[] {0, -1, Integer.MIN_VALUE}) {
            c.add(new Rpc("GetUserById " + id, "user.v1.UserService/GetUserById",
                    GetUserRequest.newBuilder().setId(id).build().toByteArray()));
            c.add(new Rpc("DeleteUser " + id, "user.v1.UserService/DeleteUser",
                    DeleteUserRequest.newBuilder().setId(id).build().toByteArray()));
        }
        c.add(new Rpc("DeleteUser 1 with orders, no force", "user.v1.UserService/DeleteUser",
                DeleteUserRequest.newBuilder().setId(1).build().toByteArray()));
        for (int size : new int[] {-1, 1001, Integer.MAX_VALUE}) {
            c.add(new Rpc("ListUsers page_size " + size, "user.v1.UserService/ListUsers",
                    ListUsersRequest.newBuilder().setPageSize(size).build().toByteArray()));
        }
        for (String token : List.of("forged", "AAAAAAAAAAAA", "%%%", "x".repeat(5000))) {
            c.add(new Rpc("ListUsers page_token " + token.length(), "user.v1.UserService/ListUsers",
                    ListUsersRequest.newBuilder().setPageToken(token).build().toByteArray()));
        }
        c.add(new Rpc("UpdateUser mask orders", "user.v1.UserService/UpdateUser", UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(1).setFirstName("X"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("orders")).build().toByteArray()));
        c.add(new Rpc("UpdateUser id 0", "user.v1.UserService/UpdateUser", UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(0).setFirstName("X")).build().toByteArray()));
        c.add(new Rpc("UpdateUser without user", "user.v1.UserService/UpdateUser", new byte[0]));
        for (int[] o : new int[][] {{-1, 1, 1}, {2, 0, 1}, {2, 1, 0}, {2, 1, -9}, {999999, 1, 1}, {2, 999999, 1}}) {
            c.add(new Rpc("CreateOrder " + Arrays.toString(o), "orders.v1.OrderService/CreateOrder",
                    CreateOrderRequest.newBuilder().setUserId(o[0]).setItemId(o[1]).setAmount(o[2]).build().toByteArray()));
        }
        c.add(new Rpc("unknown method", "user.v1.UserService/DropAllUsers", new byte[0]));
        c.add(new Rpc("unknown service", "admin.v1.Admin/Shutdown", new byte[0]));
        c.add(new Rpc("truncated Echo carrying an unknown enum number",
                "tandem.conformance.v1.Conformance/Echo", new byte[] {(byte) 0x80, 0x01, 0x63, 0x0A}));
        c.add(new Rpc("bytes field as nested junk", "user.v1.UserService/UpdateUser",
                concat(new byte[] {0x0A, 0x04}, ByteString.copyFromUtf8("\u0008\u0081\u0080").toByteArray())));
        return c;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static byte[] concat(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p;
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
