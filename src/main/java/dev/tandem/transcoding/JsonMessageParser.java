package dev.tandem.transcoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.google.common.io.BaseEncoding;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Reads a JSON request body into a message in one streaming pass: a strict RFC 8259 Jackson
 * parser whose tokens are converted, as they arrive, by the proto3 JSON mapping
 * (protobuf.dev/programming-guides/json, "JSON Mapping"). No tree and no second reading: the
 * body's text is scanned once.
 *
 * <p>Syntax: RFC 8259 and nothing more (no comments, single quotes, unquoted names, {@code NaN},
 * leading zeros, trailing commas or unescaped control characters); one value per body and nothing
 * after it (RFC 8259 section 2, {@code JSON-text = ws value ws}); no duplicate names in one object
 * (I-JSON, RFC 7493 section 2.3) and no field given twice under its proto and JSON names; nesting
 * at most {@link JsonCodec#MAX_DEPTH} deep.
 *
 * <p>Values, as protobuf-java-util's {@code JsonFormat.Parser} reads them (the same messages for
 * the same faults) but with JSON types checked rather than coerced: strings and bytes (standard or
 * URL-safe base64) are JSON strings, and strings holding an unpaired UTF-16 surrogate are refused;
 * bools are {@code true}/{@code false}; integers are JSON numbers or strings holding one, with an
 * exact integral value in range ({@code 1.0} and {@code 1e2} count); floats and doubles are numbers
 * or strings, with {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; enums are a value name or
 * number (an unknown name is dropped when unknown fields are ignored); messages and maps are
 * objects, repeated fields arrays; {@code null} leaves any field unset except {@code
 * google.protobuf.Value} ({@code null_value}) and {@code NullValue}, and is refused inside arrays
 * and as a map value. Well-known types: Timestamp (RFC 3339), Duration ({@code "1.5s"}), FieldMask
 * ({@code "a,bC"}), Struct, Value, ListValue and the wrappers as the mapping says; {@code
 * google.protobuf.Any}, which needs its {@code @type} before its fields can be read, is the one part
 * handed, as the sub-text already checked here, to JsonFormat. At most one member of a oneof may be
 * set ({@code null} members count as unset).
 *
 * <p>Errors: every fault is a {@link TranscodingException} {@code INVALID_ARGUMENT} whose message
 * starts {@code invalid JSON body: } (syntax faults name their line and column) and whose {@code
 * google.rpc.BadRequest} violation names the JSON path of the value, e.g. {@code
 * items[2].price}, or the root's name when the fault is the body itself. Thread-safe.
 */
final class JsonMessageParser {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonCodec.MAX_DEPTH).build())
            .build();

    private static final BigInteger MAX_UINT32 = BigInteger.valueOf(0xFFFFFFFFL);
    private static final BigInteger MAX_UINT64 = new BigInteger("FFFFFFFFFFFFFFFF", 16);
    private static final double EPSILON = 1e-6;
    private static final BigDecimal MORE_THAN_ONE = new BigDecimal(String.valueOf(1.0 + EPSILON));
    private static final BigDecimal MAX_DOUBLE = new BigDecimal(String.valueOf(Double.MAX_VALUE)).multiply(MORE_THAN_ONE);
    private static final BigDecimal MIN_DOUBLE = MAX_DOUBLE.negate();

    private final boolean ignoreUnknownFields;
    private final JsonFormat.Parser anyParser;

    /**
     * @param ignoreUnknownFields skip object members the message has no field for (and enum names
     *     it does not know) instead of refusing them
     * @param anyParser reads {@code google.protobuf.Any} values, with the type registry that
     *     resolves their {@code @type}
     */
    JsonMessageParser(boolean ignoreUnknownFields, JsonFormat.Parser anyParser) {
        this.ignoreUnknownFields = ignoreUnknownFields;
        this.anyParser = anyParser;
    }

    /**
     * Merges a JSON body that is a whole message (a JSON object, or the JSON form of a well-known
     * type) into {@code builder}.
     *
     * @param json the body, not blank
     * @param builder the target
     * @param root the name of the body in errors about the body itself ({@code body}, or the request
     *     field it is bound to); violations inside it are named by their JSON path under {@code
     *     prefix}
     * @param prefix the path of the message within the request ({@code ""} for the request itself)
     * @throws TranscodingException {@code INVALID_ARGUMENT} as the class describes
     */
    void mergeMessage(String json, Message.Builder builder, String root, String prefix) {
        try (JsonParser p = new Source(json)) {
            try {
                message(p, p.nextToken(), builder);
            } catch (Fault f) {
                throw f.toException(root, prefix);
            }
            end(p, root);
        } catch (JsonProcessingException malformed) {
            throw malformed(malformed, root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String source does no I/O
        }
    }

    /**
     * Sets one field of {@code builder} from a body that is that field's JSON value: the body of a
     * {@code body: "<field>"} rule. {@code null} leaves the field unset.
     *
     * @param json the body, not blank
     * @param builder the request builder
     * @param field the field the body is bound to
     * @throws TranscodingException {@code INVALID_ARGUMENT} as the class describes; violations are
     *     named under the field's proto name
     */
    void mergeField(String json, Message.Builder builder, FieldDescriptor field) {
        try (JsonParser p = new Source(json)) {
            try {
                field(p, p.nextToken(), builder, field);
            } catch (Fault f) {
                throw f.toException(field.getName(), field.getName());
            }
            end(p, field.getName());
        } catch (JsonProcessingException malformed) {
            throw malformed(malformed, field.getName());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- messages and fields

    private void message(JsonParser p, JsonToken t, Message.Builder b) throws IOException {
        Descriptor type = b.getDescriptorForType();
        switch (WellKnown.of(type)) {
            case NONE -> object(p, t, b, type);
            case WRAPPER -> {
                FieldDescriptor value = type.findFieldByNumber(1);
                Object v = scalar(p, t, value, b);
                if (v != null) {
                    b.setField(value, v);
                }
            }
            case TIMESTAMP -> {
                String s = string(p, t, "an RFC 3339 timestamp string");
                try {
                    mergeBytes(b, Timestamps.parse(s).toByteString());
                } catch (ParseException e) {
                    throw new Fault("Failed to parse timestamp: \"" + s + "\"");
                }
            }
            case DURATION -> {
                String s = string(p, t, "a duration string such as \"1.5s\"");
                try {
                    mergeBytes(b, Durations.parse(s).toByteString());
                } catch (ParseException e) {
                    throw new Fault("Failed to parse duration: \"" + s + "\"");
                }
            }
            case FIELD_MASK -> mergeBytes(b, FieldMaskUtil.fromJsonString(string(p, t, "a field mask string")).toByteString());
            case STRUCT -> map(p, t, b, type.findFieldByNumber(1));
            case LIST_VALUE -> repeated(p, t, b, type.findFieldByNumber(1));
            case VALUE -> value(p, t, b, type);
            case ANY -> any(p, t, b);
        }
    }

    private void object(JsonParser p, JsonToken t, Message.Builder b, Descriptor type) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new Fault("Expect message object but got: " + describe(p, t) + "; expected a JSON object");
        }
        BitSet seen = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            FieldDescriptor f = FieldLookup.find(type, name);
            if (f == null) {
                if (!ignoreUnknownFields) {
                    throw new Fault("Cannot find field: " + name + " in message " + type.getFullName()).under(name);
                }
                p.skipChildren();
                continue;
            }
            if (seen == null) {
                seen = new BitSet(type.getFields().size());
            }
            if (seen.get(f.getIndex())) {
                throw new Fault("Field " + f.getFullName() + " has already been set.").under(name);
            }
            seen.set(f.getIndex());
            OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null && v != JsonToken.VALUE_NULL && b.getOneofFieldDescriptor(oneof) != null) {
                throw new Fault("Cannot set field " + f.getFullName() + " because another field "
                        + b.getOneofFieldDescriptor(oneof).getFullName()
                        + " belonging to the same oneof has already been set").under(name);
            }
            try {
                field(p, v, b, f);
            } catch (Fault fault) {
                throw fault.under(name);
            }
        }
    }

    private void field(JsonParser p, JsonToken t, Message.Builder b, FieldDescriptor f) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            Object nul = f.isRepeated() ? null : nullValue(f, b);
            if (nul != null) {
                b.setField(f, nul);
            }
        } else if (f.isMapField()) {
            map(p, t, b, f);
        } else if (f.isRepeated()) {
            repeated(p, t, b, f);
        } else {
            Object v = single(p, t, f, b);
            if (v != null) {
                b.setField(f, v);
            }
        }
    }

    private void repeated(JsonParser p, JsonToken t, Message.Builder b, FieldDescriptor f) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new Fault("Expect an array but found: " + describe(p, t) + "; expected a JSON array");
        }
        int i = 0;
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken(), i++) {
            try {
                Object item = v == JsonToken.VALUE_NULL ? nullElement(f, b) : single(p, v, f, b);
                if (item != null) {
                    b.addRepeatedField(f, item);
                }
            } catch (Fault fault) {
                throw fault.at(i);
            }
        }
    }

    private void map(JsonParser p, JsonToken t, Message.Builder b, FieldDescriptor f) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new Fault("Expect a map object but found: " + describe(p, t) + "; expected a JSON object");
        }
        FieldDescriptor keyField = f.getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = f.getMessageType().findFieldByNumber(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            try {
                Message.Builder entry = b.newBuilderForField(f);
                Object value = v == JsonToken.VALUE_NULL ? nullElement(valueField, entry) : single(p, v, valueField, entry);
                if (value != null) {
                    entry.setField(keyField, mapKey(keyField, key));
                    entry.setField(valueField, value);
                    b.addRepeatedField(f, entry.build());
                }
            } catch (Fault fault) {
                throw fault.under(key);
            }
        }
    }

    /** A JSON {@code null} inside an array or as a map value: only Value and NullValue take it. */
    private static Object nullElement(FieldDescriptor f, Message.Builder b) {
        Object v = nullValue(f, b);
        if (v == null && !(f.getJavaType() == FieldDescriptor.JavaType.ENUM && !f.getEnumType().isClosed())) {
            throw new Fault(f.getContainingType().getOptions().getMapEntry()
                    ? "Map value cannot be null." : "Repeated field elements cannot be null in field: " + f.getFullName());
        }
        return v; // null for an open enum: dropped, as JsonFormat does
    }

    /** What {@code null} sets for a field: {@code null_value} for Value and NullValue, else nothing. */
    private static Object nullValue(FieldDescriptor f, Message.Builder b) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && f.getMessageType().getFullName().equals("google.protobuf.Value")) {
            Message.Builder v = b.newBuilderForField(f);
            v.setField(v.getDescriptorForType().findFieldByName("null_value"),
                    v.getDescriptorForType().findFieldByName("null_value").getEnumType().findValueByNumber(0));
            return v.build();
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.ENUM
                && f.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
            return f.getEnumType().findValueByNumber(0);
        }
        return null;
    }

    // ---- single values

    /** One value of a singular field, an array element or a map value; {@code null} to drop it. */
    private Object single(JsonParser p, JsonToken t, FieldDescriptor f, Message.Builder parent) throws IOException {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            Message.Builder sub = parent.newBuilderForField(f);
            message(p, t, sub);
            return sub.build();
        }
        return scalar(p, t, f, parent);
    }

    private Object scalar(JsonParser p, JsonToken t, FieldDescriptor f, Message.Builder parent) throws IOException {
        return switch (f.getType()) {
            case STRING -> string(p, t, "a JSON string");
            case BYTES -> bytes(string(p, t, "a JSON string"));
            case BOOL -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new Fault("Invalid bool value: " + describe(p, t) + "; expected true or false");
                }
                yield t == JsonToken.VALUE_TRUE;
            }
            case INT32, SINT32, SFIXED32 -> int32(number(p, t, "int32"));
            case INT64, SINT64, SFIXED64 -> int64(number(p, t, "int64"));
            case UINT32, FIXED32 -> uint32(number(p, t, "uint32"));
            case UINT64, FIXED64 -> uint64(number(p, t, "uint64"));
            case FLOAT -> float32(number(p, t, "float"));
            case DOUBLE -> float64(number(p, t, "double"));
            case ENUM -> enumValue(p, t, f.getEnumType());
            case MESSAGE, GROUP -> single(p, t, f, parent);
        };
    }

    private static String string(JsonParser p, JsonToken t, String expected) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new Fault("expected " + expected + ", got " + describe(p, t));
        }
        String s = p.getText();
        checkUnicode(s);
        return s;
    }

    private static String number(JsonParser p, JsonToken t, String type) throws IOException {
        if (t == null || !(t.isNumeric() || t == JsonToken.VALUE_STRING)) {
            throw new Fault("Not an " + type + " value: " + describe(p, t) + "; expected a JSON number or a string holding one");
        }
        return p.getText();
    }

    private static ByteString bytes(String s) {
        try {
            return ByteString.copyFrom(BaseEncoding.base64().decode(s));
        } catch (IllegalArgumentException notStandard) {
            try {
                return ByteString.copyFrom(BaseEncoding.base64Url().decode(s));
            } catch (IllegalArgumentException e) {
                throw new Fault("Not a base64 bytes value: \"" + s + "\"");
            }
        }
    }

    private EnumValueDescriptor enumValue(JsonParser p, JsonToken t, EnumDescriptor type) throws IOException {
        if (t != JsonToken.VALUE_STRING && !t.isNumeric()) {
            throw new Fault("expected an enum name or number, got " + describe(p, t));
        }
        String s = p.getText();
        EnumValueDescriptor v = type.findValueByName(s);
        if (v == null) {
            Integer n = intOrNull(s);
            if (n != null) {
                v = type.isClosed() ? type.findValueByNumber(n) : type.findValueByNumberCreatingIfUnknown(n);
            }
        }
        if (v == null && !ignoreUnknownFields) {
            throw new Fault("Invalid enum value: " + s + " for enum type: " + type.getFullName());
        }
        return v;
    }

    private static Integer intOrNull(String s) {
        try {
            return int32(s);
        } catch (Fault notAnInt) {
            return null;
        }
    }

    static int int32(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(s).intValueExact(); // "1.0", "1e2": integral values in other spellings
            } catch (ArithmeticException | NumberFormatException notExact) {
                throw new Fault("Not an int32 value: " + s);
            }
        }
    }

    static long int64(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new BigDecimal(s).longValueExact();
            } catch (ArithmeticException | NumberFormatException notExact) {
                throw new Fault("Not an int64 value: " + s);
            }
        }
    }

    static int uint32(String s) {
        return (int) unsigned(s, MAX_UINT32, "uint32").longValue();
    }

    static long uint64(String s) {
        return unsigned(s, MAX_UINT64, "uint64").longValue();
    }

    private static BigInteger unsigned(String s, BigInteger max, String type) {
        BigInteger v;
        try {
            v = new BigDecimal(s).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new Fault("Not an " + type + " value: " + s);
        }
        if (v.signum() < 0 || v.compareTo(max) > 0) {
            throw new Fault("Out of range " + type + " value: " + s);
        }
        return v;
    }

    static float float32(String s) {
        switch (s) {
            case "NaN": return Float.NaN;
            case "Infinity": return Float.POSITIVE_INFINITY;
            case "-Infinity": return Float.NEGATIVE_INFINITY;
            default: break;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new Fault("Not a float value: " + s);
        }
        // JsonFormat's tolerance: a printed float may be a little beyond the range after rounding.
        if (v > Float.MAX_VALUE * (1.0 + EPSILON) || v < -Float.MAX_VALUE * (1.0 + EPSILON)) {
            throw new Fault("Out of range float value: " + s);
        }
        return (float) v;
    }

    static double float64(String s) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        BigDecimal v;
        try {
            v = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new Fault("Not a double value: " + s);
        }
        if (v.compareTo(MAX_DOUBLE) > 0 || v.compareTo(MIN_DOUBLE) < 0) {
            throw new Fault("Out of range double value: " + s);
        }
        return v.doubleValue();
    }

    private static Object mapKey(FieldDescriptor keyField, String key) {
        return switch (keyField.getType()) {
            case STRING -> {
                checkUnicode(key);
                yield key;
            }
            case BOOL -> switch (key) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new Fault("Invalid bool value: " + key);
            };
            case INT32, SINT32, SFIXED32 -> int32(key);
            case INT64, SINT64, SFIXED64 -> int64(key);
            case UINT32, FIXED32 -> uint32(key);
            case UINT64, FIXED64 -> uint64(key);
            default -> throw new IllegalStateException("map key of type " + keyField.getType());
        };
    }

    // ---- well-known types

    private void value(JsonParser p, JsonToken t, Message.Builder b, Descriptor type) throws IOException {
        switch (t) {
            case VALUE_NULL -> b.setField(type.findFieldByName("null_value"),
                    type.findFieldByName("null_value").getEnumType().findValueByNumber(0));
            case VALUE_TRUE, VALUE_FALSE -> b.setField(type.findFieldByName("bool_value"), t == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> b.setField(type.findFieldByName("number_value"),
                    Double.parseDouble(p.getText()));
            case VALUE_STRING -> b.setField(type.findFieldByName("string_value"), string(p, t, "a JSON string"));
            case START_OBJECT -> b.setField(type.findFieldByName("struct_value"), single(p, t, type.findFieldByName("struct_value"), b));
            case START_ARRAY -> b.setField(type.findFieldByName("list_value"), single(p, t, type.findFieldByName("list_value"), b));
            default -> throw new Fault("Unexpected JSON for google.protobuf.Value: " + t);
        }
    }

    /**
     * {@code google.protobuf.Any}: its {@code @type} may come after its fields, so its text (already
     * read strictly here) is handed to JsonFormat with the type registry.
     */
    private void any(JsonParser p, JsonToken t, Message.Builder b) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw new Fault("Expect message object but got: " + describe(p, t));
        }
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getCharOffset();
        String text = ((Source) p).text.substring(start, end);
        try {
            anyParser.merge(text, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new Fault(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static void mergeBytes(Message.Builder b, ByteString wire) {
        try {
            b.mergeFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a well-known type's own bytes did not parse", e);
        }
    }

    // ---- helpers

    private static void checkUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Fault("an unpaired UTF-16 surrogate");
            }
        }
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "a JSON object";
            case START_ARRAY -> "a JSON array";
            case VALUE_STRING -> "a JSON string";
            default -> p.getText();
        };
    }

    private static void end(JsonParser p, String root) throws IOException {
        if (p.nextToken() != null) {
            JsonLocation at = p.currentTokenLocation();
            throw TranscodingException.invalidArgument(root, "invalid JSON body: more content after the JSON value"
                    + " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
    }

    private static TranscodingException malformed(JsonProcessingException e, String field) {
        if (e instanceof StreamConstraintsException) {
            return TranscodingException.invalidArgument(field,
                    "invalid JSON body: nested deeper than " + JsonCodec.MAX_DEPTH + " levels");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return TranscodingException.invalidArgument(field, "invalid JSON body: " + e.getOriginalMessage() + where);
    }

    /** A parser of one body that keeps its text, for {@link #any}. */
    private static final class Source extends JsonParserDelegate {
        final String text;

        Source(String text) throws IOException {
            super(FACTORY.createParser(text));
            this.text = text;
        }
    }

    /** The well-known types whose JSON is not an object of their fields. */
    private enum WellKnown {
        NONE, WRAPPER, TIMESTAMP, DURATION, FIELD_MASK, STRUCT, LIST_VALUE, VALUE, ANY;

        static WellKnown of(Descriptor type) {
            if (!type.getFile().getPackage().equals("google.protobuf")) {
                return NONE;
            }
            return switch (type.getName()) {
                case "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value",
                        "BoolValue", "StringValue", "BytesValue" -> WRAPPER;
                case "Timestamp" -> TIMESTAMP;
                case "Duration" -> DURATION;
                case "FieldMask" -> FIELD_MASK;
                case "Struct" -> STRUCT;
                case "ListValue" -> LIST_VALUE;
                case "Value" -> VALUE;
                case "Any" -> ANY;
                default -> NONE;
            };
        }
    }

    /**
     * A fault in a value, unwound to the top while each level adds its step of the JSON path; no
     * stack trace (it never leaves this class).
     */
    private static final class Fault extends RuntimeException {
        private final List<String> steps = new ArrayList<>(4); // innermost first

        Fault(String reason) {
            super(reason, null, false, false);
        }

        Fault under(String name) {
            steps.add("." + name);
            return this;
        }

        Fault at(int index) {
            steps.add("[" + index + "]");
            return this;
        }

        TranscodingException toException(String root, String prefix) {
            StringBuilder path = new StringBuilder(prefix);
            for (int i = steps.size() - 1; i >= 0; i--) {
                path.append(steps.get(i));
            }
            String field = path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
            return TranscodingException.invalidArgument(field.isEmpty() ? root : field,
                    "invalid JSON body: " + getMessage());
        }
    }
}
