package dev.tandem.security;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;

/**
 * Whether an RPC reads or writes, decided by the contract itself: an RPC is a {@link #READ} when its
 * {@code google.api.http} rule (the primary binding, not an {@code additional_bindings} alias) is a
 * {@code get}; every other RPC, including one without a rule or without a protobuf descriptor, is a
 * {@link #WRITE}.
 *
 * <p>Why the HttpRule: it is already in every {@code .proto} of the API and already decides the
 * REST verb, and GET is a safe method (RFC 9110, section 9.2.1: the client asks for no state
 * change), so an RPC the contract exposes as GET must be a read. One rule for both protocols, no
 * list of method names to keep in step with the protos, and a new RPC without a rule fails safe
 * (it needs the writer role). The primary binding decides because it is the RPC's canonical REST
 * form; aliases such as Greeter's {@code POST /v1/greeter:sayHello} exist for clients that cannot
 * send a GET.
 *
 * <p>Tandem's API, by this rule: reads are {@code SayHello}, {@code GetUserById}, {@code
 * GetAllUsers}, {@code ListUsers}, {@code GetOrdersByUserId}, {@code GetOrder}, {@code ListItems},
 * {@code GetItem} and the {@code ExportOrders} and {@code ExportOrdersCsv} streams; writes are {@code
 * CreateUser}, {@code UpdateUser}, {@code DeleteUser}, {@code CreateOrder}, {@code CreateItem} and
 * {@code ImportItems}.
 */
public enum RpcAccess {

    /** Changes nothing; allowed to the reader and the writer role. */
    READ,

    /** May change data; allowed to the writer role only. */
    WRITE;

    /**
     * @param method an RPC
     * @return its access, by its {@code google.api.http} rule
     */
    public static RpcAccess of(Descriptors.MethodDescriptor method) {
        if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
            return WRITE;
        }
        HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
        return rule.getPatternCase() == HttpRule.PatternCase.GET ? READ : WRITE;
    }

    /**
     * @param method a gRPC method as the server sees it
     * @return its access; {@link #WRITE} when it has no protobuf descriptor
     */
    public static RpcAccess of(MethodDescriptor<?, ?> method) {
        return method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier s ? of(s.getMethodDescriptor()) : WRITE;
    }
}
