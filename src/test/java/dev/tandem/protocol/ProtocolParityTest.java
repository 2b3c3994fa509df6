package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import dev.tandem.TestChannels;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.GetItemRequest;
import dev.tandem.api.orders.v1.GetOrderRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.ListItemsRequest;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.orders.v1.OrdersByUserIdRequest;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four protocols answer the same: for every unary RPC (reads with their data, and for every RPC
 * its errors: validation, not found, malformed page tokens), the same request over gRPC (grpc-java),
 * REST (its primary HttpRule), gRPC-Web (binary, HTTP/1.1) and Connect (binary, HTTP/1.1) ends with
 * the same response message, or the same {@code google.rpc.Status}: code, message and every detail.
 * Runs on the demo data of the {@code %test} profile; successful writes are covered on gRPC-Web and
 * Connect by {@code ConnectClientTest}.
 */
@QuarkusTest
class ProtocolParityTest {

    private static final TypeRegistry DETAILS = TypeRegistry.newBuilder()
            .add(ErrorDetailsProto.getDescriptor().getMessageTypes()).build();

    @Inject
    Vertx vertx;

    /** One call and how it is spelled in REST. */
    record Case(String name, MethodDescriptor<Message, Message> method, Message request, HttpMethod restMethod,
            String restPath, String restBody) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a call ended with: the response, or the status with its details. */
    record Outcome(Message response, int code, String message, List<Any> details) {
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Message, R extends Message> Case c(String name, MethodDescriptor<Q, R> method, Q request,
            HttpMethod verb, String path, String body) {
        return new Case(name, (MethodDescriptor<Message, Message>) (MethodDescriptor<?, ?>) method, request, verb, path, body);
    }

    static Stream<Case> cases() {
        int missing = 987_654;
        return Stream.of(
                c("SayHello", GreeterGrpc.getSayHelloMethod(), HelloRequest.newBuilder().setName("Parity").build(),
                        HttpMethod.POST, "/v1/greeter:sayHello", "{\"name\":\"Parity\"}"),
                c("GetUserById", UserServiceGrpc.getGetUserByIdMethod(), GetUserRequest.newBuilder().setId(1).build(),
                        HttpMethod.GET, "/v1/users/1", null),
                c("GetUserById not found", UserServiceGrpc.getGetUserByIdMethod(),
                        GetUserRequest.newBuilder().setId(missing).build(), HttpMethod.GET, "/v1/users/" + missing, null),
                c("GetUserById invalid", UserServiceGrpc.getGetUserByIdMethod(), GetUserRequest.newBuilder().setId(0).build(),
                        HttpMethod.GET, "/v1/users/0", null),
                c("GetAllUsers", UserServiceGrpc.getGetAllUsersMethod(), GetAllUsersRequest.getDefaultInstance(),
                        HttpMethod.GET, "/v1/users:all", null),
                c("ListUsers", UserServiceGrpc.getListUsersMethod(), ListUsersRequest.newBuilder().setPageSize(2).build(),
                        HttpMethod.GET, "/v1/users?pageSize=2", null),
                c("ListUsers invalid page size", UserServiceGrpc.getListUsersMethod(),
                        ListUsersRequest.newBuilder().setPageSize(5000).build(), HttpMethod.GET, "/v1/users?pageSize=5000", null),
                c("ListUsers forged token", UserServiceGrpc.getListUsersMethod(),
                        ListUsersRequest.newBuilder().setPageToken("Zm9yZ2Vk").build(), HttpMethod.GET,
                        "/v1/users?pageToken=Zm9yZ2Vk", null),
                c("CreateUser invalid", UserServiceGrpc.getCreateUserMethod(),
                        CreateUserRequest.newBuilder().setFirstName(" ").setLastName("x").setEmail("not an email").build(),
                        HttpMethod.POST, "/v1/users", "{\"firstName\":\" \",\"lastName\":\"x\",\"email\":\"not an email\"}"),
                c("UpdateUser not found", UserServiceGrpc.getUpdateUserMethod(), UpdateUserRequest.newBuilder()
                        .setUser(User.newBuilder().setId(missing).setLastName("x"))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("last_name")).build(),
                        HttpMethod.PATCH, "/v1/users/" + missing + "?updateMask=lastName", "{\"lastName\":\"x\"}"),
                c("DeleteUser not found", UserServiceGrpc.getDeleteUserMethod(),
                        DeleteUserRequest.newBuilder().setId(missing).build(), HttpMethod.DELETE, "/v1/users/" + missing, null),
                c("GetOrdersByUserId", OrderServiceGrpc.getGetOrdersByUserIdMethod(),
                        OrdersByUserIdRequest.newBuilder().setUserId(1).build(), HttpMethod.GET, "/v1/users/1/orders", null),
                c("GetOrdersByUserId invalid", OrderServiceGrpc.getGetOrdersByUserIdMethod(),
                        OrdersByUserIdRequest.newBuilder().setUserId(0).build(), HttpMethod.GET, "/v1/users/0/orders", null),
                c("CreateOrder not found", OrderServiceGrpc.getCreateOrderMethod(),
                        CreateOrderRequest.newBuilder().setUserId(missing).setItemId(1).setAmount(1).build(),
                        HttpMethod.POST, "/v1/users/" + missing + "/orders", "{\"itemId\":1,\"amount\":1}"),
                c("CreateOrder invalid", OrderServiceGrpc.getCreateOrderMethod(),
                        CreateOrderRequest.newBuilder().setUserId(1).setItemId(1).setAmount(0).build(),
                        HttpMethod.POST, "/v1/users/1/orders", "{\"itemId\":1,\"amount\":0}"),
                c("GetOrder", OrderServiceGrpc.getGetOrderMethod(), GetOrderRequest.newBuilder().setId(1).build(),
                        HttpMethod.GET, "/v1/orders/1", null),
                c("GetOrder not found", OrderServiceGrpc.getGetOrderMethod(),
                        GetOrderRequest.newBuilder().setId(missing).build(), HttpMethod.GET, "/v1/orders/" + missing, null),
                c("ListItems", ItemServiceGrpc.getListItemsMethod(), ListItemsRequest.getDefaultInstance(),
                        HttpMethod.GET, "/v1/items", null),
                c("GetItem", ItemServiceGrpc.getGetItemMethod(), GetItemRequest.newBuilder().setId(1).build(),
                        HttpMethod.GET, "/v1/items/1", null),
                c("GetItem not found", ItemServiceGrpc.getGetItemMethod(), GetItemRequest.newBuilder().setId(missing).build(),
                        HttpMethod.GET, "/v1/items/" + missing, null),
                c("CreateItem invalid", ItemServiceGrpc.getCreateItemMethod(),
                        CreateItemRequest.newBuilder().setName(" ").build(), HttpMethod.POST, "/v1/items", "{\"name\":\" \"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyProtocolAnswersTheSame(Case c) throws Exception {
        Outcome grpc = grpc(c);
        assertEquals(grpc, rest(c), "REST");
        assertEquals(grpc, grpcWeb(c), "gRPC-Web");
        assertEquals(grpc, connect(c), "Connect");
    }

    private static Outcome grpc(Case c) {
        try {
            Message response = ClientCalls.blockingUnaryCall(TestChannels.app(), c.method(),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), c.request());
            return new Outcome(response, 0, null, List.of());
        } catch (StatusRuntimeException e) {
            return failure(StatusProto.fromThrowable(e));
        }
    }

    private Outcome rest(Case c) throws Exception {
        Map<String, String> headers = c.restBody() == null ? Map.of() : Map.of("content-type", "application/json");
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, c.restMethod(), c.restPath(), headers,
                c.restBody() == null ? null : Buffer.buffer(c.restBody()));
        if (r.status() == 200) {
            Message.Builder b = responsePrototype(c).newBuilderForType();
            JsonFormat.parser().merge(r.text(), b);
            return new Outcome(b.build(), 0, null, List.of());
        }
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder();
        JsonFormat.parser().usingTypeRegistry(DETAILS).merge(r.text(), s);
        return failure(s.build());
    }

    private Outcome grpcWeb(Case c) throws Exception {
        byte[] req = c.request().toByteArray();
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/" + c.method().getFullMethodName(), Map.of("content-type", "application/grpc-web+proto"),
                Buffer.buffer().appendByte((byte) 0).appendInt(req.length).appendBytes(req));
        Map<String, String> trailers = new HashMap<>();
        Message response = null;
        for (int i = 0; i < r.body().length(); ) {
            int flags = r.body().getUnsignedByte(i);
            int length = r.body().getInt(i + 1);
            byte[] payload = r.body().getBytes(i + 5, i + 5 + length);
            if ((flags & 0x80) != 0) {
                for (String line : new String(payload, StandardCharsets.US_ASCII).split("\r\n")) {
                    int colon = line.indexOf(':');
                    trailers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            } else {
                response = responsePrototype(c).getParserForType().parseFrom(payload);
            }
            i += 5 + length;
        }
        if (r.headers().contains("grpc-status")) {
            r.headers().forEach(h -> trailers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        }
        if ("0".equals(trailers.get("grpc-status"))) {
            return new Outcome(response, 0, null, List.of());
        }
        String details = trailers.get("grpc-status-details-bin");
        if (details != null) {
            return failure(com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(pad(details))));
        }
        return new Outcome(null, Integer.parseInt(trailers.get("grpc-status")), trailers.get("grpc-message"), List.of());
    }

    private Outcome connect(Case c) throws Exception {
        HttpExchange r = HttpExchange.send(vertx, HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/" + c.method().getFullMethodName(), Map.of("content-type", "application/proto"),
                Buffer.buffer(c.request().toByteArray()));
        if (r.status() == 200) {
            return new Outcome(responsePrototype(c).getParserForType().parseFrom(r.body().getBytes()), 0, null, List.of());
        }
        JsonObject error = new JsonObject(r.text());
        String code = error.getString("code");
        int value = code.equals("canceled") ? 1 : io.grpc.Status.Code.valueOf(code.toUpperCase(java.util.Locale.ROOT)).value();
        List<Any> details = new ArrayList<>();
        JsonArray array = error.getJsonArray("details", new JsonArray());
        for (int i = 0; i < array.size(); i++) {
            JsonObject d = array.getJsonObject(i);
            details.add(Any.newBuilder().setTypeUrl("type.googleapis.com/" + d.getString("type"))
                    .setValue(com.google.protobuf.ByteString.copyFrom(Base64.getDecoder().decode(pad(d.getString("value")))))
                    .build());
        }
        return new Outcome(null, value, error.getString("message"), details);
    }

    private static Outcome failure(com.google.rpc.Status s) {
        return new Outcome(null, s.getCode(), s.getMessage(), s.getDetailsList());
    }

    private static Message responsePrototype(Case c) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) c.method().getResponseMarshaller()).getMessagePrototype();
    }

    private static String pad(String b64) {
        return b64 + "==".substring(0, (4 - b64.length() % 4) % 4);
    }
}
