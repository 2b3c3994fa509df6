package dev.tandem.transcoding;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.google.protobuf.util.JsonFormat;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds test RPCs with HttpRules at run time, without protoc: one service {@code test.v1.Test}
 * whose request type {@code test.v1.Req} has a field of every kind a rule or query can name.
 */
final class TestRpcs {

    private TestRpcs() {}

    /** A method name and its rule. */
    record Rpc(String name, HttpRule rule) {}

    /**
     * @param rpcs methods of the test service
     * @return the RPCs, ready for {@link RouteCompiler#compile}
     */
    static List<RpcMethod> of(Rpc... rpcs) {
        ServiceDescriptorProto.Builder service = ServiceDescriptorProto.newBuilder().setName("Test");
        for (Rpc r : rpcs) {
            service.addMethod(MethodDescriptorProto.newBuilder()
                    .setName(r.name())
                    .setInputType(".test.v1.Req")
                    .setOutputType(".test.v1.Req")
                    .setOptions(MethodOptions.newBuilder().setExtension(AnnotationsProto.http, r.rule())));
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("test/v1/test.proto")
                .setPackage("test.v1")
                .setSyntax("proto3")
                .addDependency("google/protobuf/timestamp.proto")
                .addDependency("google/protobuf/wrappers.proto")
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("COLOR_UNSPECIFIED").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(1))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("GREEN").setNumber(2)))
                .addMessageType(DescriptorProto.newBuilder().setName("Sub")
                        .addField(field("subfield", 1, Type.TYPE_STRING))
                        .addField(field("big", 2, Type.TYPE_INT64))
                        .addField(message("deeper", 3, ".test.v1.Sub")))
                .addMessageType(DescriptorProto.newBuilder().setName("Req")
                        .addField(field("name", 1, Type.TYPE_STRING))
                        .addField(field("revision", 2, Type.TYPE_INT32))
                        .addField(message("sub", 3, ".test.v1.Sub"))
                        .addField(field("ids", 4, Type.TYPE_INT32).setLabel(Label.LABEL_REPEATED))
                        .addField(field("flag", 5, Type.TYPE_BOOL))
                        .addField(field("color", 6, Type.TYPE_ENUM).setTypeName(".test.v1.Color"))
                        .addField(field("data", 7, Type.TYPE_BYTES))
                        .addField(message("at", 8, ".google.protobuf.Timestamp"))
                        .addField(message("wrapped", 9, ".google.protobuf.Int32Value"))
                        .addField(field("message_id", 10, Type.TYPE_STRING))
                        .addField(field("user_id", 11, Type.TYPE_STRING))
                        .addField(message("message", 12, ".test.v1.Sub"))
                        .addField(field("text", 13, Type.TYPE_STRING))
                        .addField(message("subs", 14, ".test.v1.Sub").setLabel(Label.LABEL_REPEATED))
                        .addField(field("u64", 15, Type.TYPE_UINT64))
                        .addField(field("ratio", 16, Type.TYPE_DOUBLE))
                        .addField(message("labels", 17, ".test.v1.Req.LabelsEntry").setLabel(Label.LABEL_REPEATED))
                        .addNestedType(DescriptorProto.newBuilder().setName("LabelsEntry")
                                .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                                .addField(field("key", 1, Type.TYPE_STRING))
                                .addField(field("value", 2, Type.TYPE_STRING))))
                .addService(service)
                .build();
        FileDescriptor fd;
        try {
            fd = FileDescriptor.buildFrom(file, new FileDescriptor[] {
                TimestampProto.getDescriptor(), WrappersProto.getDescriptor()});
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
        DynamicMessage prototype = DynamicMessage.getDefaultInstance(fd.findMessageTypeByName("Req"));
        List<RpcMethod> out = new ArrayList<>();
        for (Descriptors.MethodDescriptor m : fd.findServiceByName("Test").getMethods()) {
            MethodDescriptor<DynamicMessage, DynamicMessage> grpc = MethodDescriptor
                    .<DynamicMessage, DynamicMessage>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("test.v1.Test", m.getName()))
                    .setRequestMarshaller(ProtoUtils.marshaller(prototype))
                    .setResponseMarshaller(ProtoUtils.marshaller(prototype))
                    .build();
            out.add(new RpcMethod(grpc, m, prototype));
        }
        return out;
    }

    /**
     * @param rules HttpRules in text format, e.g. {@code get: "/v1/{name}"}
     * @return one RPC per rule, named M0, M1, ...
     */
    static List<RpcMethod> ofRules(String... rules) {
        Rpc[] rpcs = new Rpc[rules.length];
        for (int i = 0; i < rules.length; i++) {
            rpcs[i] = new Rpc("M" + i, rule(rules[i]));
        }
        return of(rpcs);
    }

    /**
     * @param text an HttpRule in protobuf text format
     * @return the rule
     */
    static HttpRule rule(String text) {
        try {
            HttpRule.Builder b = HttpRule.newBuilder();
            com.google.protobuf.TextFormat.merge(text, b);
            return b.build();
        } catch (com.google.protobuf.TextFormat.ParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /**
     * @param message a test message
     * @return its compact JSON, for assertions
     */
    static String json(com.google.protobuf.Message message) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(message);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setJsonName(camel(name));
    }

    private static FieldDescriptorProto.Builder message(String name, int number, String type) {
        return field(name, number, Type.TYPE_MESSAGE).setTypeName(type);
    }

    private static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
