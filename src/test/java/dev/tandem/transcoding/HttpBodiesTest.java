package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.AnnotationsProto;
import com.google.api.HttpBodyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.tandem.transcoding.rules.HttpBodyRule;
import dev.tandem.transcoding.rules.HttpResponseProto;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HttpBodies}: which routes carry {@code google.api.HttpBody} bytes (decided by {@link
 * RouteCompiler} once, per google/api/httpbody.proto and http.proto), the start-up refusals of a
 * misplaced {@code (tandem.api.http_body)}, and {@link RequestBinder#bindHttpBody}.
 */
class HttpBodiesTest {

    private static final RequestBinder BINDER = new RequestBinder(new JsonCodec(false), TranscodingOptions.STRICT);

    /**
     * One RPC of a test service whose messages are {@code google.api.HttpBody} and {@code
     * test.v1.Upload {string name = 1; google.api.HttpBody file = 2; string tag = 3;}}.
     *
     * @param input request type, {@code HttpBody} or {@code Upload}
     * @param output response type
     * @param streaming server streaming
     * @param rule the HttpRule in text format
     * @param option the {@code (tandem.api.http_body)} option in text format, or empty
     */
    private static RpcMethod rpc(String input, String output, boolean streaming, String rule, String option) {
        MethodOptions.Builder options = MethodOptions.newBuilder().setExtension(AnnotationsProto.http, TestRpcs.rule(rule));
        if (!option.isEmpty()) {
            try {
                HttpBodyRule.Builder b = HttpBodyRule.newBuilder();
                com.google.protobuf.TextFormat.merge(option, b);
                options.setExtension(HttpResponseProto.httpBody, b.build());
            } catch (com.google.protobuf.TextFormat.ParseException e) {
                throw new IllegalArgumentException(option, e);
            }
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("test/v1/raw.proto").setPackage("test.v1").setSyntax("proto3")
                .addDependency("google/api/httpbody.proto")
                .addMessageType(DescriptorProto.newBuilder().setName("Upload")
                        .addField(field("name", 1, Type.TYPE_STRING, null))
                        .addField(field("file", 2, Type.TYPE_MESSAGE, ".google.api.HttpBody"))
                        .addField(field("tag", 3, Type.TYPE_STRING, null)))
                .addService(ServiceDescriptorProto.newBuilder().setName("Raw").addMethod(MethodDescriptorProto.newBuilder()
                        .setName("M").setInputType(type(input)).setOutputType(type(output))
                        .setServerStreaming(streaming).setOptions(options)))
                .build();
        FileDescriptor fd;
        try {
            fd = FileDescriptor.buildFrom(file, new FileDescriptor[] {HttpBodyProto.getDescriptor()});
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
        Descriptors.MethodDescriptor m = fd.findServiceByName("Raw").findMethodByName("M");
        DynamicMessage prototype = DynamicMessage.getDefaultInstance(m.getInputType());
        MethodDescriptor<DynamicMessage, DynamicMessage> grpc = MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(streaming ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("test.v1.Raw/M")
                .setRequestMarshaller(ProtoUtils.marshaller(prototype))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                .build();
        return new RpcMethod(grpc, m, prototype);
    }

    private static String type(String name) {
        return name.equals("HttpBody") ? ".google.api.HttpBody" : ".test.v1." + name;
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type, String typeName) {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setJsonName(name);
        return typeName == null ? f : f.setTypeName(typeName);
    }

    @ParameterizedTest(name = "{0} -> {1} {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            HttpBody | HttpBody | false | post: "/v1/raw" body: "*"                   |                                         | true  | true  | []         | null
            Upload   | Upload   | false | post: "/v1/u/{name}" body: "file"           | request_content_types: "text/csv"       | true  | false | [text/csv] | null
            Upload   | HttpBody | true  | get: "/v1/u/{name}"                         | response_content_type: "text/csv"       | false | true  | []         | text/csv
            Upload   | Upload   | false | post: "/v1/u" body: "*"                     |                                         | false | false | []         | null
            HttpBody | Upload   | false | get: "/v1/u"                                |                                         | false | false | []         | null
            Upload   | HttpBody | false | get: "/v1/u" response_body: "content_type"  |                                         | false | false | []         | null
            Upload   | HttpBody | false | put: "/v1/u/{name}" body: "file"            | request_content_types: ["text/csv", "application/vnd.ms-excel"] response_content_type: "text/plain" | true | true | [text/csv, application/vnd.ms-excel] | text/plain
            """)
    void decidesOnceFromTheDescriptors(String input, String output, boolean streaming, String rule, String option,
            boolean request, boolean response, String types, String responseType) {
        Route route = RouteCompiler.compile(List.of(rpc(input, output, streaming, rule, option == null ? "" : option))).get(0);
        assertEquals(request, route.httpBody().request(), "request");
        assertEquals(response, route.httpBody().response(), "response");
        assertEquals(types, route.httpBody().requestMediaTypes().toString());
        assertEquals(responseType.equals("null") ? null : responseType, route.httpBody().responseMediaType());
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            Upload | Upload   | post: "/v1/u" body: "*"            | request_content_types: "text/csv"  | request_content_types needs a google.api.HttpBody request body
            Upload | Upload   | post: "/v1/u" body: "file"         | response_content_type: "text/csv"  | response_content_type needs a google.api.HttpBody response
            Upload | Upload   | post: "/v1/u" body: "*"            | `request_content_types: []`        | on an RPC without an HttpBody
            Upload | HttpBody | get: "/v1/u"                       | response_content_type: "Text/CSV"  | media type "Text/CSV" is not a lower-case type/subtype
            Upload | Upload   | post: "/v1/u" body: "file"         | request_content_types: "text/csv; charset=utf-8" | is not a lower-case type/subtype without parameters
            """)
    void refusesAMisplacedOptionAtStartUp(String input, String output, String rule, String option, String problem) {
        InvalidHttpRuleException e = assertThrows(InvalidHttpRuleException.class,
                () -> RouteCompiler.compile(List.of(rpc(input, output, false, rule, option))));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void bindsTheBytesAndContentTypeBesidePathAndQuery() {
        RouteTable table = RouteTable.of(RouteCompiler.compile(List.of(
                rpc("Upload", "Upload", false, "post: \"/v1/u/{name}\" body: \"file\"", ""))));
        RouteTable.Match match = table.match("POST", RequestPath.parse("/v1/u/n1"));
        var message = BINDER.bindHttpBody(match, Map.of("tag", List.of("t")), "a,b\r\n{not json".getBytes(StandardCharsets.UTF_8),
                "text/csv; header=present");
        assertEquals("{\"name\":\"n1\",\"file\":{\"contentType\":\"text/csv; header\\u003dpresent\",\"data\":\"YSxiDQp7bm90IGpzb24=\"},"
                + "\"tag\":\"t\"}", TestRpcs.json(message));
    }

    @Test
    void bindsTheWholeRequestWhenItIsAnHttpBody() {
        RouteTable table = RouteTable.of(RouteCompiler.compile(List.of(rpc("HttpBody", "HttpBody", false,
                "post: \"/v1/raw\" body: \"*\"", ""))));
        RouteTable.Match match = table.match("POST", RequestPath.parse("/v1/raw"));
        assertEquals("{\"data\":\"AP8=\"}", TestRpcs.json(BINDER.bindHttpBody(match, Map.of(), new byte[] {0, -1}, null)));
        assertEquals("{\"contentType\":\"image/png\"}", TestRpcs.json(BINDER.bindHttpBody(match, Map.of(), new byte[0], "image/png")));
    }

    @Test
    void aJsonRouteIsNoHttpBodyRoute() {
        RouteTable table = RouteTable.of(RouteCompiler.compile(List.of(rpc("Upload", "Upload", false, "post: \"/v1/u\" body: \"*\"", ""))));
        RouteTable.Match match = table.match("POST", RequestPath.parse("/v1/u"));
        assertFalse(match.route().httpBody().request());
        assertThrows(IllegalArgumentException.class, () -> BINDER.bindHttpBody(match, Map.of(), new byte[0], "text/csv"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            text/csv                          | true
            TEXT/CSV; charset=utf-8           | true
            ' text/csv ;header=present'       | true
            application/json                  | false
            text/csvx                         | false
            null                              | false
            ''                                | false
            """)
    void acceptsOnlyTheDeclaredMediaTypes(String contentType, boolean accepted) {
        HttpBodies csv = new HttpBodies(true, false, List.of("text/csv"), null);
        assertEquals(accepted, csv.accepts(contentType), contentType);
        assertTrue(new HttpBodies(true, false, List.of(), null).accepts(contentType), "none declared: any");
    }
}
