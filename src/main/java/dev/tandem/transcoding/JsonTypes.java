package dev.tandem.transcoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.util.Set;

/**
 * Checks the JSON types of a request body against the proto3 JSON mapping before JsonFormat reads
 * it, because JsonFormat coerces: it takes {@code 1}, {@code true} and {@code ["a"]} for a string
 * field, and a number for a {@code StringValue}. Per the mapping: strings and bytes are JSON
 * strings; bools are {@code true}/{@code false}; numbers are JSON numbers or strings; enums are
 * strings or numbers; messages and maps are objects; repeated fields are arrays; {@code null} is
 * allowed everywhere (the default). Strings with an unpaired UTF-16 surrogate (an escaped {@code
 * \ud800}) are refused: they are not Unicode text. Unknown fields and the insides of Timestamp,
 * Duration, FieldMask, Struct, Value, ListValue and Any are left to JsonFormat, which checks them.
 * One streaming pass, no tree.
 */
final class JsonTypes {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Set<String> OPAQUE = Set.of("google.protobuf.Timestamp", "google.protobuf.Duration",
            "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
            "google.protobuf.ListValue", "google.protobuf.Any");

    private JsonTypes() {}

    /**
     * @param json the body
     * @param type the message type it must be (for a body field: a wrapper message holding it)
     * @throws TranscodingException {@code INVALID_ARGUMENT} naming the JSON path of the first value
     *     of the wrong type, e.g. {@code user.firstName}
     */
    static void check(String json, Descriptor type) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                object(p, type, "");
            }
        } catch (IOException malformed) {
            // JsonFormat reports malformed JSON with its position
        }
    }

    private static void object(JsonParser p, Descriptor type, String path) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            FieldDescriptor f = FieldLookup.find(type, name);
            JsonToken t = p.nextToken();
            String here = path.isEmpty() ? name : path + "." + name;
            if (f == null || t == JsonToken.VALUE_NULL) {
                p.skipChildren();
            } else if (f.isMapField()) {
                expect(t == JsonToken.START_OBJECT, here, "a JSON object");
                FieldDescriptor value = f.getMessageType().findFieldByName("value");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = here + "." + p.currentName();
                    JsonToken v = p.nextToken();
                    if (v != JsonToken.VALUE_NULL) {
                        single(p, v, value, key);
                    }
                }
            } else if (f.isRepeated()) {
                expect(t == JsonToken.START_ARRAY, here, "a JSON array");
                int i = 0;
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    single(p, v, f, here + "[" + i++ + "]");
                }
            } else {
                single(p, t, f, here);
            }
        }
    }

    private static void single(JsonParser p, JsonToken t, FieldDescriptor f, String path) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        switch (f.getJavaType()) {
            case STRING, BYTE_STRING -> {
                expect(t == JsonToken.VALUE_STRING, path, "a JSON string");
                checkUnicode(p.getText(), path);
            }
            case BOOLEAN -> expect(t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE, path, "true or false");
            case INT, LONG, FLOAT, DOUBLE -> expect(t.isNumeric() || t == JsonToken.VALUE_STRING, path,
                    "a JSON number or a string holding one");
            case ENUM -> expect(t == JsonToken.VALUE_STRING || t.isNumeric(), path, "an enum name or number");
            case MESSAGE -> message(p, t, f.getMessageType(), path);
        }
    }

    private static void message(JsonParser p, JsonToken t, Descriptor type, String path) throws IOException {
        String name = type.getFullName();
        if (OPAQUE.contains(name)) {
            p.skipChildren();
        } else if (name.startsWith("google.protobuf.") && name.endsWith("Value")) {
            single(p, t, type.findFieldByName("value"), path); // a wrapper is its scalar
        } else {
            expect(t == JsonToken.START_OBJECT, path, "a JSON object");
            object(p, type, path);
        }
    }

    private static void checkUnicode(String s, String path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw TranscodingException.invalidArgument(path, "invalid JSON body: an unpaired UTF-16 surrogate");
            }
        }
    }

    private static void expect(boolean ok, String path, String what) {
        if (!ok) {
            throw TranscodingException.invalidArgument(path, "invalid JSON body: expected " + what);
        }
    }
}
