package dev.tandem.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which RPC of Tandem's API is a read and which a write, by {@link RpcAccess}'s rule (the primary
 * {@code google.api.http} verb), as docs/security.md lists it. A new RPC fails this test until it is added
 * here, so the table stays the whole API.
 */
class RpcAccessTest {

    @Test
    void everyRpcOfTheApiIsAReadOrAWriteByItsHttpRule() {
        Map<String, RpcAccess> actual = new TreeMap<>();
        Stream.of(GreeterGrpc.getServiceDescriptor(), UserServiceGrpc.getServiceDescriptor(),
                OrderServiceGrpc.getServiceDescriptor(), ItemServiceGrpc.getServiceDescriptor(),
                OrderExportServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods).flatMap(java.util.Collection::stream)
                .forEach(m -> actual.put(m.getFullMethodName(), RpcAccess.of(m)));
        Map<String, RpcAccess> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("helloworld.Greeter/SayHello", RpcAccess.READ),
                Map.entry("user.v1.UserService/GetUserById", RpcAccess.READ),
                Map.entry("user.v1.UserService/GetAllUsers", RpcAccess.READ),
                Map.entry("user.v1.UserService/ListUsers", RpcAccess.READ),
                Map.entry("user.v1.UserService/CreateUser", RpcAccess.WRITE),
                Map.entry("user.v1.UserService/UpdateUser", RpcAccess.WRITE),
                Map.entry("user.v1.UserService/DeleteUser", RpcAccess.WRITE),
                Map.entry("orders.v1.OrderService/GetOrdersByUserId", RpcAccess.READ),
                Map.entry("orders.v1.OrderService/GetOrder", RpcAccess.READ),
                Map.entry("orders.v1.OrderService/CreateOrder", RpcAccess.WRITE),
                Map.entry("orders.v1.ItemService/ListItems", RpcAccess.READ),
                Map.entry("orders.v1.ItemService/GetItem", RpcAccess.READ),
                Map.entry("orders.v1.ItemService/CreateItem", RpcAccess.WRITE),
                Map.entry("orders.v1.ItemService/ImportItems", RpcAccess.WRITE),
                Map.entry("orders.v1.OrderExportService/ExportOrdersCsv", RpcAccess.READ),
                Map.entry("orders.v1.OrderExportService/ExportOrders", RpcAccess.READ)));
        assertEquals(expected, actual);
    }

    @Test
    void anRpcWithoutAProtobufDescriptorIsAWrite() {
        MethodDescriptor<Object, Object> bare = MethodDescriptor.newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("x.Y/Z")
                .setRequestMarshaller(new Nothing())
                .setResponseMarshaller(new Nothing())
                .build();
        assertEquals(RpcAccess.WRITE, RpcAccess.of(bare));
    }

    private static final class Nothing implements MethodDescriptor.Marshaller<Object> {
        @Override
        public java.io.InputStream stream(Object value) {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public Object parse(java.io.InputStream stream) {
            return null;
        }
    }
}
