package dev.tandem.transcoding.openapi;

import build.buf.validate.FieldRules;
import build.buf.validate.Ignore;
import build.buf.validate.Int32Rules;
import build.buf.validate.StringRules;
import build.buf.validate.ValidateProto;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schemas (draft 2020-12, the dialect of OpenAPI 3.1) of proto messages, following the proto3
 * JSON mapping as {@code JsonCodec} applies it: lowerCamelCase property names; 64-bit integers as
 * strings (numbers accepted on input), other numbers as numbers (strings holding one accepted on
 * input); enums by name (numbers accepted on input); {@code null} accepted for any field on input;
 * bytes as base64; floats as numbers or {@code
 * "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; Timestamp as {@code date-time}; Duration as
 * {@code "1.5s"}; FieldMask as comma-separated paths; Struct, Value and ListValue as free JSON;
 * wrappers as their scalar or {@code null}; maps as objects; at most one member of each oneof.
 *
 * <p>{@code google.api.field_behavior}: {@code REQUIRED} fields are {@code required} (by JSON or
 * proto name, since the parser accepts both), {@code OUTPUT_ONLY} ones {@code readOnly}. protovalidate
 * ({@code (buf.validate.field)}): string lengths and int32 bounds become {@code minLength}, {@code
 * maxLength}, {@code minimum}, {@code maximum} and their exclusive forms; other rules (patterns, CEL,
 * {@code email}, {@code uuid}) are stated only in the field's description, from the proto comment.
 * Messages become components named by their full proto name
 * and are referenced with {@code $ref}; the well-known types are inlined. Not thread-safe: one
 * instance per document.
 */
final class JsonSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String REF_PREFIX = "#/components/schemas/";

    private final ProtoComments comments;
    private final Map<String, ObjectNode> components = new LinkedHashMap<>();
    private final List<Descriptor> pending = new ArrayList<>();

    JsonSchemas(ProtoComments comments) {
        this.comments = comments;
    }

    /**
     * A reference to a message's schema, or the inline schema of a well-known type.
     *
     * @param type a message type
     * @return the schema
     */
    ObjectNode message(Descriptor type) {
        ObjectNode wkt = wellKnown(type.getFullName());
        if (wkt != null) {
            return wkt;
        }
        if (!components.containsKey(type.getFullName()) && !pending.contains(type)) {
            pending.add(type);
        }
        return JSON.objectNode().put("$ref", REF_PREFIX + type.getFullName());
    }

    /**
     * The schema of one field's JSON value, with its description.
     *
     * @param field a field
     * @return the schema: an array for a repeated field, an object for a map
     */
    ObjectNode field(FieldDescriptor field) {
        ObjectNode schema;
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            schema = JSON.objectNode().put("type", "object");
            schema.set("additionalProperties", single(value));
        } else if (field.isRepeated()) {
            schema = JSON.objectNode().put("type", "array");
            schema.set("items", single(field));
        } else {
            schema = single(field);
        }
        String doc = comments.of(field);
        if (!doc.isEmpty()) {
            schema.put("description", doc);
        }
        List<FieldBehavior> behaviors = field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior);
        if (behaviors.contains(FieldBehavior.OUTPUT_ONLY)) {
            schema.put("readOnly", true);
        }
        return orNull(schema);
    }

    /**
     * The proto3 JSON mapping reads {@code null} as a field's default, for every field: the schema
     * accepts it too (the server never writes it, except inside a {@code Value}).
     */
    private static ObjectNode orNull(ObjectNode schema) {
        if (schema.has("type")) {
            ArrayNode types = JSON.arrayNode();
            if (schema.get("type").isArray()) {
                schema.get("type").forEach(t -> types.add(t.asText()));
            } else {
                types.add(schema.get("type").asText());
            }
            if (!types.toString().contains("\"null\"")) {
                types.add("null");
            }
            schema.set("type", types);
            return schema;
        }
        if (schema.has("anyOf")) {
            ArrayNode anyOf = (ArrayNode) schema.get("anyOf");
            if (!anyOf.toString().contains("\"null\"")) {
                anyOf.addObject().put("type", "null");
            }
            return schema;
        }
        if (schema.has("$ref")) {
            ObjectNode wrapped = JSON.objectNode();
            ArrayNode anyOf = wrapped.putArray("anyOf");
            anyOf.addObject().put("$ref", schema.remove("$ref").asText());
            anyOf.addObject().put("type", "null");
            wrapped.setAll(schema);
            return wrapped;
        }
        return schema; // {} (any JSON value) already allows null
    }

    /** The schema of one value of a field (an element, for a repeated field). */
    ObjectNode single(FieldDescriptor f) {
        return switch (f.getType()) {
            case DOUBLE, FLOAT -> floating(f.getType() == FieldDescriptor.Type.DOUBLE ? "double" : "float");
            case INT32, SINT32, SFIXED32 -> int32Bounds(f, int32("int32"));
            case UINT32, FIXED32 -> int32("uint32").put("minimum", 0).put("maximum", 4294967295L);
            case INT64, SINT64, SFIXED64 -> int64("int64");
            case UINT64, FIXED64 -> int64("uint64");
            case BOOL -> JSON.objectNode().put("type", "boolean");
            case STRING -> lengths(f, JSON.objectNode().put("type", "string"));
            case BYTES -> bytes();
            case ENUM -> enumSchema(f.getEnumType());
            case MESSAGE, GROUP -> message(f.getMessageType());
        };
    }

    /**
     * Builds the schemas of every message referenced so far, and of the messages they reference.
     *
     * @return component name to schema, in the order first referenced
     */
    Map<String, ObjectNode> components() {
        while (!pending.isEmpty()) {
            Descriptor next = pending.remove(0);
            components.put(next.getFullName(), JSON.objectNode()); // guards recursion
            components.put(next.getFullName(), messageSchema(next));
        }
        return components;
    }

    /**
     * The inline schema of a message without some of its top-level fields: the body of a {@code
     * body: "*"} rule whose path binds those fields.
     *
     * @param type a message type
     * @param without top-level fields of {@code type} to leave out
     * @return the schema
     */
    ObjectNode messageWithout(Descriptor type, java.util.Set<FieldDescriptor> without) {
        ObjectNode schema = messageSchema(type);
        for (FieldDescriptor f : without) {
            ((ObjectNode) schema.get("properties")).remove(f.getJsonName());
        }
        if (schema.has("allOf")) {
            ArrayNode keptAll = JSON.arrayNode();
            schema.get("allOf").forEach(alt -> {
                String json = alt.at("/anyOf/0/required/0").asText();
                if (without.stream().noneMatch(f -> f.getJsonName().equals(json))) {
                    keptAll.add(alt);
                }
            });
            schema.set("allOf", keptAll);
            if (keptAll.isEmpty()) {
                schema.remove("allOf");
            }
        }
        if (schema.has("required")) {
            ArrayNode kept = JSON.arrayNode();
            schema.get("required").forEach(r -> {
                if (without.stream().noneMatch(f -> f.getJsonName().equals(r.asText()))) {
                    kept.add(r);
                }
            });
            schema.set("required", kept);
            if (kept.isEmpty()) {
                schema.remove("required");
            }
        }
        return schema;
    }

    private ObjectNode messageSchema(Descriptor type) {
        ObjectNode schema = JSON.objectNode().put("type", "object");
        String doc = comments.of(type);
        if (!doc.isEmpty()) {
            schema.put("description", doc);
        }
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        ArrayNode eitherName = JSON.arrayNode();
        for (FieldDescriptor f : type.getFields()) {
            properties.set(f.getJsonName(), field(f));
            if (f.getOptions().getExtension(FieldBehaviorProto.fieldBehavior).contains(FieldBehavior.REQUIRED)) {
                if (f.getJsonName().equals(f.getName())) {
                    required.add(f.getJsonName());
                } else {
                    // the parser accepts the proto name too: require one of the two
                    ArrayNode alternatives = eitherName.addObject().putArray("anyOf");
                    alternatives.addObject().putArray("required").add(f.getJsonName());
                    alternatives.addObject().putArray("required").add(f.getName());
                }
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        if (!eitherName.isEmpty()) {
            schema.set("allOf", eitherName);
        }
        ArrayNode exclusive = JSON.arrayNode();
        for (OneofDescriptor oneof : type.getRealOneofs()) {
            List<FieldDescriptor> members = oneof.getFields();
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    exclusive.addObject().putArray("required")
                            .add(members.get(i).getJsonName()).add(members.get(j).getJsonName());
                }
            }
        }
        if (!exclusive.isEmpty()) {
            // proto3 JSON: at most one member of a oneof may be present
            schema.putObject("not").set("anyOf", exclusive);
        }
        return schema;
    }

    private ObjectNode enumSchema(EnumDescriptor type) {
        // printed by name; a number is accepted on input, also an unknown one (proto3 enums are open)
        ObjectNode schema = JSON.objectNode();
        ArrayNode anyOf = schema.putArray("anyOf");
        ArrayNode values = anyOf.addObject().put("type", "string").putArray("enum");
        anyOf.addObject().put("type", "integer").put("format", "int32");
        StringBuilder doc = new StringBuilder(comments.of(type));
        for (EnumValueDescriptor v : type.getValues()) {
            values.add(v.getName());
            String valueDoc = comments.of(v);
            if (!valueDoc.isEmpty()) {
                doc.append(doc.length() > 0 ? "\n" : "").append("- ").append(v.getName()).append(": ").append(valueDoc);
            }
        }
        schema.put("title", type.getFullName());
        if (doc.length() > 0) {
            schema.put("description", doc.toString());
        }
        return schema;
    }

    private static ObjectNode floating(String format) {
        ObjectNode schema = JSON.objectNode().put("format", format);
        ArrayNode anyOf = schema.putArray("anyOf");
        anyOf.addObject().put("type", "number");
        anyOf.addObject().put("type", "string").putArray("enum").add("NaN").add("Infinity").add("-Infinity");
        return schema;
    }

    /** The proto3 JSON mapping accepts every number as a JSON number or as a string holding one. */
    private static final String NUMBER_PATTERN = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$";

    /**
     * The bounds of an int32 field's protovalidate rules ({@code gt}, {@code gte}, {@code lt},
     * {@code lte}) as {@code exclusiveMinimum}, {@code minimum}, {@code exclusiveMaximum}, {@code
     * maximum}; none when the rules skip the zero value ({@code IGNORE_IF_ZERO_VALUE}), since 0 is
     * then accepted whatever the bounds.
     */
    private static ObjectNode int32Bounds(FieldDescriptor f, ObjectNode schema) {
        FieldRules rules = f.getOptions().getExtension(ValidateProto.field);
        if (!rules.hasInt32() || rules.getIgnore() == Ignore.IGNORE_IF_ZERO_VALUE) {
            return schema;
        }
        Int32Rules r = rules.getInt32();
        if (r.hasGt()) {
            schema.put("exclusiveMinimum", r.getGt());
        }
        if (r.hasGte()) {
            schema.put("minimum", r.getGte());
        }
        if (r.hasLt()) {
            schema.put("exclusiveMaximum", r.getLt());
        }
        if (r.hasLte()) {
            schema.put("maximum", r.getLte());
        }
        return schema;
    }

    /**
     * The {@code min_len}/{@code max_len} of a string field's protovalidate rules as {@code
     * minLength}/{@code maxLength} (both count code points, as JSON Schema does); no {@code
     * minLength} when the rules skip the empty string. Patterns and CEL rules are not reflected.
     */
    private static ObjectNode lengths(FieldDescriptor f, ObjectNode schema) {
        FieldRules rules = f.getOptions().getExtension(ValidateProto.field);
        if (!rules.hasString()) {
            return schema;
        }
        StringRules r = rules.getString();
        if (r.hasMinLen() && rules.getIgnore() != Ignore.IGNORE_IF_ZERO_VALUE) {
            schema.put("minLength", r.getMinLen());
        }
        if (r.hasMaxLen()) {
            schema.put("maxLength", r.getMaxLen());
        }
        return schema;
    }

    private static ObjectNode int32(String format) {
        // printed as a number; a string holding one is accepted on input
        ObjectNode schema = JSON.objectNode();
        schema.putArray("type").add("integer").add("string");
        return schema.put("format", format).put("pattern", NUMBER_PATTERN);
    }

    private static ObjectNode int64(String format) {
        // printed as a decimal string; a JSON number is accepted on input
        ObjectNode schema = JSON.objectNode();
        schema.putArray("type").add("string").add("integer");
        return schema.put("format", format).put("pattern", NUMBER_PATTERN);
    }

    private static ObjectNode bytes() {
        return JSON.objectNode().put("type", "string").put("format", "byte").put("contentEncoding", "base64");
    }

    /** Inline schemas of the well-known types, as the proto3 JSON mapping writes them. */
    private static ObjectNode wellKnown(String name) {
        return switch (name) {
            case "google.protobuf.Timestamp" -> JSON.objectNode().put("type", "string").put("format", "date-time")
                    .put("description", "RFC 3339 date-time in UTC, e.g. 2023-05-01T00:00:00Z");
            case "google.protobuf.Duration" -> JSON.objectNode().put("type", "string")
                    .put("pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$").put("description", "seconds with an 's', e.g. 1.5s");
            case "google.protobuf.FieldMask" -> JSON.objectNode().put("type", "string")
                    .put("description", "comma-separated lowerCamelCase field paths, e.g. firstName,lastName");
            case "google.protobuf.Struct" -> JSON.objectNode().put("type", "object")
                    .put("description", "any JSON object");
            case "google.protobuf.Value" -> JSON.objectNode().put("description", "any JSON value");
            case "google.protobuf.ListValue" -> JSON.objectNode().put("type", "array")
                    .put("description", "any JSON array");
            case "google.protobuf.Empty" -> JSON.objectNode().put("type", "object").put("maxProperties", 0);
            case "google.protobuf.Any" -> {
                ObjectNode any = JSON.objectNode().put("type", "object")
                        .put("description", "a message of the type named by @type, with its fields beside @type");
                any.putObject("properties").putObject("@type").put("type", "string");
                any.putArray("required").add("@type");
                yield any;
            }
            case "google.protobuf.DoubleValue" -> orNull(floating("double"));
            case "google.protobuf.FloatValue" -> orNull(floating("float"));
            case "google.protobuf.Int64Value" -> orNull(int64("int64"));
            case "google.protobuf.UInt64Value" -> orNull(int64("uint64"));
            case "google.protobuf.Int32Value" -> orNull(JSON.objectNode().put("type", "integer").put("format", "int32"));
            case "google.protobuf.UInt32Value" -> orNull(JSON.objectNode().put("type", "integer").put("format", "uint32"));
            case "google.protobuf.BoolValue" -> orNull(JSON.objectNode().put("type", "boolean"));
            case "google.protobuf.StringValue" -> orNull(JSON.objectNode().put("type", "string"));
            case "google.protobuf.BytesValue" -> orNull(bytes());
            default -> null;
        };
    }
}
