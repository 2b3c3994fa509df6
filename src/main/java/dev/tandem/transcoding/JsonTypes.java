package dev.tandem.transcoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.util.Set;

/**
 * The strict reading of a request body before JsonFormat reads it: one streaming pass of a Jackson
 * parser that accepts RFC 8259 JSON only, one value per body, and checks its types.
 *
 * <p>Syntax: RFC 8259 and nothing more (Jackson's defaults: no comments, single quotes, unquoted
 * names, {@code NaN}/{@code Infinity}, leading zeros, trailing commas or unescaped control
 * characters), because JsonFormat's Gson reader is lenient and takes all of those. Duplicate names
 * in one object are refused, as I-JSON requires (RFC 7493 section 2.3), rather than letting the
 * last one win; so is anything after the value (RFC 8259 section 2, {@code JSON-text = ws value
 * ws}) and nesting deeper than {@link JsonCodec#MAX_DEPTH}. Every fault is {@code INVALID_ARGUMENT}
 * naming its line and column.
 *
 * <p>Types: checked against the proto3 JSON mapping, because JsonFormat coerces: it takes {@code
 * 1}, {@code true} and {@code ["a"]} for a string field, and a number for a {@code StringValue}. Per the mapping: strings and bytes are JSON
 * strings; bools are {@code true}/{@code false}; numbers are JSON numbers or strings; enums are
 * strings or numbers; messages and maps are objects; repeated fields are arrays; {@code null} is
 * allowed everywhere (the default). Strings with an unpaired UTF-16 surrogate (an escaped {@code
 * \ud800}) are refused: they are not Unicode text. Unknown fields and the insides of Timestamp,
 * Duration, FieldMask, Struct, Value, ListValue and Any are left to JsonFormat, which checks their
 * types (their syntax and names are checked here like everything else). One streaming pass, no
 * tree; JsonFormat then reads the same text, which can no longer hold anything its lenient reader
 * would read differently.
 */
final class JsonTypes {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsonCodec.MAX_DEPTH).build())
            .build();
    private static final Set<String> OPAQUE = Set.of("google.protobuf.Timestamp", "google.protobuf.Duration",
            "google.protobuf.FieldMask", "google.protobuf.Struct", "google.protobuf.Value",
            "google.protobuf.ListValue", "google.protobuf.Any");

    private JsonTypes() {}

    /**
     * @param json the body
     * @param type the message type it must be
     * @throws TranscodingException {@code INVALID_ARGUMENT} for JSON that is not strict RFC 8259 JSON
     *     or has a duplicate name (detail: {@code field}), or naming the JSON path of the first value
     *     of the wrong type, e.g. {@code user.firstName}
     */
    static void check(String json, Descriptor type, String field) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                object(p, type, "");
            } else {
                p.skipChildren(); // JsonFormat says why a non-object is not a message
            }
            end(p);
        } catch (JsonProcessingException malformed) {
            throw malformed(malformed, field);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String source does no I/O
        }
    }

    /**
     * The body of a {@code body: "<field>"} rule whose field is a scalar, repeated or map field: one
     * JSON value of that field's type.
     *
     * @param json the body
     * @param f the field it is the value of
     * @throws TranscodingException as {@link #check(String, Descriptor, String)}
     */
    static void checkValue(String json, FieldDescriptor f) {
        try (JsonParser p = FACTORY.createParser(json)) {
            value(p, p.nextToken(), f, f.getJsonName());
            end(p);
        } catch (JsonProcessingException malformed) {
            throw malformed(malformed, f.getName());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void end(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            JsonLocation at = p.currentTokenLocation();
            throw TranscodingException.invalidArgument("body", "invalid JSON body: more content after the JSON value"
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

    private static void object(JsonParser p, Descriptor type, String path) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            FieldDescriptor f = FieldLookup.find(type, name);
            JsonToken t = p.nextToken();
            String here = path.isEmpty() ? name : path + "." + name;
            if (f == null) {
                p.skipChildren();
            } else {
                value(p, t, f, here);
            }
        }
    }

    private static void value(JsonParser p, JsonToken t, FieldDescriptor f, String here) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (f.isMapField()) {
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
