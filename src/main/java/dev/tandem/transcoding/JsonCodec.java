package dev.tandem.transcoding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import io.grpc.Status.Code;
import java.util.List;

/**
 * The proto3 JSON mapping of request and response messages: requests read in one pass by {@link
 * JsonMessageParser}, responses printed by protobuf-java-util's {@link JsonFormat}.
 *
 * <p>Output: lowerCamelCase names, fields without presence printed even when they hold their
 * default (so REST callers see {@code "orders": []} and {@code "id": 0} rather than a missing key,
 * as grpc-gateway v2 does), int64 as strings, enums as names, no insignificant whitespace. {@code
 * google.protobuf.Any} in {@code google.rpc.Status} details resolves the standard error details of
 * {@code google/rpc/error_details.proto}. Input: proto and JSON names; unknown fields rejected unless
 * configured otherwise. Thread-safe.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Deepest accepted nesting of JSON objects and arrays, JsonFormat's own recursion limit. */
    static final int MAX_DEPTH = 100;

    private final JsonFormat.Printer printer;
    private final JsonMessageParser reader;

    /**
     * @param ignoreUnknownFields accept and drop JSON fields the message does not have (grpc-gateway's
     *     default); {@code false} rejects them with {@code INVALID_ARGUMENT}
     */
    public JsonCodec(boolean ignoreUnknownFields) {
        TypeRegistry registry = TypeRegistry.newBuilder()
                .add(ErrorDetailsProto.getDescriptor().getMessageTypes())
                .build();
        this.printer = JsonFormat.printer()
                .usingTypeRegistry(registry)
                .omittingInsignificantWhitespace()
                .alwaysPrintFieldsWithNoPresence();
        JsonFormat.Parser p = JsonFormat.parser().usingTypeRegistry(registry);
        this.reader = new JsonMessageParser(ignoreUnknownFields, ignoreUnknownFields ? p.ignoringUnknownFields() : p);
    }

    /**
     * Merges a JSON body that is a whole message into a builder, reading the text once ({@link
     * JsonMessageParser}: strict RFC 8259, no duplicate names, the proto3 JSON mapping's types).
     *
     * @param json the JSON text of a message of the builder's type, not blank
     * @param builder the target
     * @param field what the body is, for the error detail: a request field name, or {@code body}
     * @throws TranscodingException {@code INVALID_ARGUMENT} with the reason (for malformed JSON it
     *     names the line and column of the fault) and a {@code google.rpc.BadRequest} violation
     *     naming the JSON path of the faulty value, or else {@code field}
     */
    public void merge(String json, Message.Builder builder, String field) {
        reader.mergeMessage(json, builder, field, "");
    }

    /**
     * Sets one field of a builder from a body that is that field's JSON value: the body of a {@code
     * body: "<field>"} rule, of any field kind. {@code null} leaves the field unset; anything after
     * the one value is refused. Read as strictly as {@link #merge}.
     *
     * @param json the field's JSON value, not blank
     * @param builder the request builder
     * @param field the field
     * @throws TranscodingException as {@link #merge}, the violation named under the field's name
     */
    public void mergeField(String json, Message.Builder builder, FieldDescriptor field) {
        reader.mergeField(json, builder, field);
    }

    /**
     * @param message any message
     * @return its JSON
     */
    public String print(Message message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only an Any with a type outside the registry gets here.
            throw TranscodingException.of(Code.INTERNAL, "response cannot be written as JSON");
        }
    }

    /**
     * The JSON of a response, or of one of its top-level fields ({@code response_body}).
     *
     * @param response the RPC's response
     * @param field the {@code response_body} field, or {@code null} for the whole response
     * @return JSON text: an object, or for a field its JSON value (an array for a repeated field)
     */
    public String printResponse(Message response, FieldDescriptor field) {
        if (field == null) {
            return print(response);
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
            if (!field.isRepeated()) {
                return print((Message) response.getField(field));
            }
            @SuppressWarnings("unchecked")
            List<Message> items = (List<Message>) response.getField(field);
            StringBuilder sb = new StringBuilder(64 * items.size() + 2).append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(print(items.get(i)));
            }
            return sb.append(']').toString();
        }
        // Scalars and maps: print the one field and cut its value out of the object.
        Message only = response.getDefaultInstanceForType().toBuilder()
                .setField(field, response.getField(field))
                .build();
        try {
            return MAPPER.readTree(print(only)).get(field.getJsonName()).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JsonFormat printed invalid JSON", e);
        }
    }
}
