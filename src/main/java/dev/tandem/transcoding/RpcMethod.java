package dev.tandem.transcoding;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.ArrayList;
import java.util.List;

/**
 * One RPC as the transcoder needs it: the gRPC method (full name and marshallers), its protobuf
 * descriptor (with the {@code google.api.http} option), and the default instance of its request
 * type, from which request builders are made without reflection.
 *
 * @param grpc the gRPC method descriptor, e.g. {@code user.v1.UserService/GetUserById}
 * @param proto the protobuf method descriptor
 * @param requestPrototype the request type's default instance
 */
public record RpcMethod(MethodDescriptor<?, ?> grpc, Descriptors.MethodDescriptor proto, Message requestPrototype) {

    /**
     * Collects the RPCs of protobuf-generated services. Methods without a protobuf schema or
     * prototype marshaller (hand-written, non-protobuf services) are skipped: they cannot carry
     * HttpRules.
     *
     * @param services bound gRPC services
     * @return every protobuf RPC of those services
     */
    public static List<RpcMethod> of(Iterable<ServerServiceDefinition> services) {
        List<RpcMethod> out = new ArrayList<>();
        for (ServerServiceDefinition service : services) {
            for (ServerMethodDefinition<?, ?> def : service.getMethods()) {
                MethodDescriptor<?, ?> md = def.getMethodDescriptor();
                if (md.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier
                        && md.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> pm
                        && pm.getMessagePrototype() instanceof Message prototype) {
                    out.add(new RpcMethod(md, supplier.getMethodDescriptor(), prototype));
                }
            }
        }
        return out;
    }

    /** @return the RPC's full name, e.g. {@code user.v1.UserService.GetUserById} */
    public String fullName() {
        return proto.getFullName();
    }
}
