package dev.tandem.transcoding;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.Set;

/**
 * Converts the text of a path variable or query parameter into a field value, as the proto3 JSON
 * mapping would read the same text: integers in decimal (64-bit ones too), floats as JSON numbers,
 * {@code true}/{@code false}, enums by name or number, bytes as standard or URL-safe base64, floats including {@code
 * NaN} and {@code Infinity}. The well-known types Timestamp, Duration, FieldMask and the wrappers
 * are read from their JSON string form (e.g. {@code 2023-05-01T00:00:00Z}, {@code 1.5s}, {@code
 * a,b.c}).
 */
public final class ScalarValues {

    /** Message types that google/api/http.proto allows in query parameters: JSON scalars. */
    static final Set<String> SCALAR_MESSAGE_TYPES = Set.of(
            "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask",
            "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
            "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
            "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue");

    private static final JsonFormat.Parser WKT_PARSER = JsonFormat.parser();

    /** A JSON number (RFC 8259 section 6); Java's own parsers also take 1d, 0x1p3, +1 and spaces. */
    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final java.util.regex.Pattern JSON_INTEGER = java.util.regex.Pattern.compile("-?[0-9]+");

    private ScalarValues() {}

    /**
     * Whether a value of {@code fd} can be written as one text value.
     *
     * @param fd a field
     * @return true for scalars, enums and the well-known types listed in the class comment
     */
    public static boolean isScalar(FieldDescriptor fd) {
        return fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                || SCALAR_MESSAGE_TYPES.contains(fd.getMessageType().getFullName());
    }

    /**
     * Sets (or, for a repeated field, appends) the value read from {@code text}.
     *
     * @param parent the builder of the message declaring {@code fd}
     * @param fd a field for which {@link #isScalar} is true
     * @param text the value as text, already percent-decoded
     * @param name the parameter or field path to name in an error
     * @throws TranscodingException {@code INVALID_ARGUMENT} naming {@code name} if the text is not a
     *     valid value of the field's type
     */
    public static void set(Message.Builder parent, FieldDescriptor fd, String text, String name) {
        Object value = parse(parent, fd, text, name);
        if (fd.isRepeated()) {
            parent.addRepeatedField(fd, value);
        } else {
            parent.setField(fd, value);
        }
    }

    private static Object parse(Message.Builder parent, FieldDescriptor fd, String text, String name) {
        try {
            return switch (fd.getType()) {
                case STRING -> text;
                case BOOL -> parseBool(text);
                case INT32, SINT32, SFIXED32 -> Integer.parseInt(integer(text));
                case UINT32, FIXED32 -> Integer.parseUnsignedInt(integer(text));
                case INT64, SINT64, SFIXED64 -> Long.parseLong(integer(text));
                case UINT64, FIXED64 -> Long.parseUnsignedLong(integer(text));
                case FLOAT -> parseFloat(text);
                case DOUBLE -> parseDouble(text);
                case BYTES -> parseBytes(text);
                case ENUM -> parseEnum(fd, text);
                case MESSAGE -> parseWellKnown(parent, fd, text);
                case GROUP -> throw new IllegalArgumentException("groups are not supported");
            };
        } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
            throw TranscodingException.invalidArgument(
                    name, "invalid value \"" + text + "\" for a field of type " + typeName(fd));
        }
    }

    private static boolean parseBool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static String integer(String text) {
        if (!JSON_INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("not a decimal integer");
        }
        return text;
    }

    private static String number(String text) {
        if (!JSON_NUMBER.matcher(text).matches() && !text.equals("NaN") && !text.equals("Infinity")
                && !text.equals("-Infinity")) {
            throw new IllegalArgumentException("not a JSON number");
        }
        return text;
    }

    private static float parseFloat(String text) {
        float f = Float.parseFloat(number(text));
        if (Float.isInfinite(f) && !text.contains("Infinity")) {
            throw new IllegalArgumentException("out of range");
        }
        return f;
    }

    private static double parseDouble(String text) {
        double d = Double.parseDouble(number(text));
        if (Double.isInfinite(d) && !text.contains("Infinity")) {
            throw new IllegalArgumentException("out of range");
        }
        return d;
    }

    private static ByteString parseBytes(String text) {
        if (text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
            return ByteString.copyFrom(Base64.getUrlDecoder().decode(text));
        }
        return ByteString.copyFrom(Base64.getDecoder().decode(text));
    }

    private static EnumValueDescriptor parseEnum(FieldDescriptor fd, String text) {
        EnumValueDescriptor v = fd.getEnumType().findValueByName(text);
        if (v == null && !text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')) {
            v = fd.getEnumType().findValueByNumber(Integer.parseInt(text));
        }
        if (v == null) {
            throw new IllegalArgumentException("unknown enum value");
        }
        return v;
    }

    private static Message parseWellKnown(Message.Builder parent, FieldDescriptor fd, String text)
            throws InvalidProtocolBufferException {
        if (!SCALAR_MESSAGE_TYPES.contains(fd.getMessageType().getFullName())) {
            throw new IllegalArgumentException("not a scalar");
        }
        Message.Builder b = parent.newBuilderForField(fd);
        WKT_PARSER.merge(quote(text), b);
        return b.build();
    }

    private static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String typeName(FieldDescriptor fd) {
        return switch (fd.getJavaType()) {
            case MESSAGE -> fd.getMessageType().getFullName();
            case ENUM -> fd.getEnumType().getFullName();
            default -> fd.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
