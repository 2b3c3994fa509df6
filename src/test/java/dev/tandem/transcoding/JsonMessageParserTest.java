package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorDetailsProto;
import dev.tandem.conformance.api.Kitchen;
import io.grpc.Status.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of {@link JsonMessageParser} on the conformance contract's {@code Kitchen}, which has
 * a field of every kind: every body it accepts yields exactly the message protobuf-java-util's
 * {@code JsonFormat} reads from the same text (the reference implementation of the proto3 JSON
 * mapping), and every body it refuses names the JSON path of the first wrong value, including the
 * ones JsonFormat would coerce or take leniently.
 */
class JsonMessageParserTest {

    private static final JsonFormat.Parser REFERENCE = JsonFormat.parser().usingTypeRegistry(
            TypeRegistry.newBuilder().add(ErrorDetailsProto.getDescriptor().getMessageTypes()).build());
    private static final JsonCodec STRICT = new JsonCodec(false);
    private static final JsonCodec LENIENT = new JsonCodec(true);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}
            {"stringValue":"s","bytesValue":"AQI=","boolValue":false}
            {"bytesValue":"-_8"}
            {"int32Value":1,"int64Value":"2","uint64Value":3,"doubleValue":"NaN","floatValue":1.5}
            {"int32Value":"-2147483648","int64Value":"9223372036854775807","uint32Value":4294967295}
            {"uint64Value":"18446744073709551615","sint32Value":-1,"sint64Value":"-1","fixed32Value":"7"}
            {"fixed64Value":8,"sfixed32Value":-9,"sfixed64Value":"-10"}
            {"int32Value":1.0,"int64Value":1e2,"uint32Value":"2.50e1"}
            {"doubleValue":"-Infinity","floatValue":"Infinity","doubleValue2":1}
            {"doubleValue":1.7976931348623157e308,"floatValue":-3.4028235e38}
            {"int64Value":9007199254740993,"int32Value":1.2e3}
            {"color":"RED","repeatedColor":["GREEN",1]}
            {"color":7,"repeatedColor":[9]}
            {"nested":{"stringValue":"a","child":{"ids":[1,"2"]}}}
            {"repeatedString":["a","b"],"repeatedNested":[{},{"int64Value":"1"}],"repeatedInt64":[1,"2"]}
            {"stringMap":{"k":"v","":"empty key"},"nestedMap":{"1":{"stringValue":"x"},"-2":{}}}
            {"stringValue":null,"nested":null,"repeatedString":null,"stringMap":null,"color":null}
            {"timestamp":"1970-01-01T00:00:00Z","duration":"1.5s","fieldMask":"a,bC.dE"}
            {"timestamp":"2023-05-01T10:00:00.123+02:00","duration":"-0.000000001s","fieldMask":""}
            {"structValue":{"a":[1,{"b":null}],"c":"d","e":true},"value":[1],"listValue":[{},null,"x"]}
            {"value":null,"structValue":{"a":null}}
            {"value":{"k":1.25}}
            {"value":"s"}
            {"any":{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"r","domain":"d"}}
            {"any":{"reason":"after","@type":"type.googleapis.com/google.rpc.ErrorInfo"}}
            {"any":{}}
            {"empty":{}}
            {"stringWrapper":"s","int64Wrapper":"1","boolWrapper":true,"bytesWrapper":"AQI="}
            {"doubleWrapper":"NaN","floatWrapper":1,"uint64Wrapper":"1","int32Wrapper":-1,"uint32Wrapper":1}
            {"stringWrapper":"","int32Wrapper":0}
            {"stringWrapper":null}
            {"choiceNested":{"int64Value":"5"}}
            {"choiceString":null,"choiceInt":3}
            {"optionalString":"","optionalInt32":0}
            {"string_value":"proto names too","repeated_string":["x"]}
            {"stringValue":"😀 \\ud83d\\ude00 \\u0000 \\n"}
            """)
    void readsWhatJsonFormatReads(String json) throws Exception {
        json = json.replace(",\"doubleValue2\":1", "");
        Kitchen.Builder ours = Kitchen.newBuilder();
        STRICT.merge(json, ours, "body");
        Kitchen.Builder reference = Kitchen.newBuilder();
        REFERENCE.merge(json, reference);
        assertEquals(reference.build(), ours.build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"unknownField":[1,{"x":true}],"stringValue":"kept"}
            {"color":"NO_SUCH_COLOR","stringValue":"kept"}
            {"repeatedColor":["RED","NO_SUCH_COLOR","GREEN"]}
            """)
    void ignoresUnknownFieldsAndEnumNamesWhenLenientAsJsonFormatDoes(String json) throws Exception {
        Kitchen.Builder ours = Kitchen.newBuilder();
        LENIENT.merge(json, ours, "body");
        Kitchen.Builder reference = Kitchen.newBuilder();
        REFERENCE.ignoringUnknownFields().merge(json, reference);
        assertEquals(reference.build(), ours.build());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"stringValue":1}                      | stringValue              | a JSON string
            {"stringValue":true}                   | stringValue              | a JSON string
            {"stringValue":["a"]}                  | stringValue              | a JSON string
            {"stringValue":{}}                     | stringValue              | a JSON string
            {"bytesValue":1}                       | bytesValue               | a JSON string
            {"bytesValue":"*"}                     | bytesValue               | Not a base64 bytes value
            {"boolValue":"true"}                   | boolValue                | true or false
            {"boolValue":1}                        | boolValue                | true or false
            {"int32Value":true}                    | int32Value               | a JSON number
            {"int32Value":1.5}                     | int32Value               | Not an int32 value
            {"int32Value":2147483648}              | int32Value               | Not an int32 value
            {"int32Value":" 1"}                    | int32Value               | Not an int32 value
            {"int64Value":[1]}                     | int64Value               | a JSON number
            {"uint32Value":-1}                     | uint32Value              | Out of range uint32 value
            {"uint64Value":"18446744073709551616"} | uint64Value              | Out of range uint64 value
            {"floatValue":3.5e38}                  | floatValue               | Out of range float value
            {"doubleValue":1e309}                  | doubleValue              | Out of range double value
            {"doubleValue":"nan"}                  | doubleValue              | Not a double value
            {"doubleValue":{}}                     | doubleValue              | a JSON number
            {"color":true}                         | color                    | an enum name or number
            {"color":"BLUE"}                       | color                    | Invalid enum value: BLUE
            {"nested":"x"}                         | nested                   | a JSON object
            {"nested":[]}                          | nested                   | a JSON object
            {"nested":{"child":{"stringValue":1}}} | nested.child.stringValue | a JSON string
            {"nested":{"ids":1}}                   | nested.ids               | a JSON array
            {"nested":{"nope":1}}                  | nested.nope              | Cannot find field: nope in message
            {"repeatedString":"a"}                 | repeatedString           | a JSON array
            {"repeatedString":["a",2]}             | repeatedString[1]        | a JSON string
            {"repeatedString":["a",null]}          | repeatedString[1]        | cannot be null
            {"repeatedNested":[{},1]}              | repeatedNested[1]        | a JSON object
            {"repeatedNested":[{},{"ids":[0,"x"]}]} | repeatedNested[1].ids[1] | Not an int32 value
            {"stringMap":[]}                       | stringMap                | a JSON object
            {"stringMap":{"k":1}}                  | stringMap.k              | a JSON string
            {"stringMap":{"k":null}}               | stringMap.k              | Map value cannot be null
            {"nestedMap":{"1":"x"}}                | nestedMap.1              | a JSON object
            {"nestedMap":{"x":{}}}                 | nestedMap.x              | Not an int32 value
            {"stringWrapper":1}                    | stringWrapper            | a JSON string
            {"boolWrapper":"true"}                 | boolWrapper              | true or false
            {"int64Wrapper":true}                  | int64Wrapper             | a JSON number
            {"choiceNested":{"int64Value":false}}  | choiceNested.int64Value  | a JSON number
            {"choiceString":"a","choiceInt":1}     | choiceInt                | belonging to the same oneof
            {"stringValue":"a","string_value":"b"} | string_value             | has already been set
            {"timestamp":"yesterday"}              | timestamp                | Failed to parse timestamp
            {"timestamp":0}                        | timestamp                | timestamp string
            {"duration":"1"}                       | duration                 | Failed to parse duration
            {"fieldMask":["a"]}                    | fieldMask                | field mask string
            {"any":{"@type":"type.googleapis.com/no.Such"}} | any             | Cannot resolve type
            {"stringValue":"\\ud800"}              | stringValue              | an unpaired UTF-16 surrogate
            {"stringValue":"a\\udc00b"}            | stringValue              | an unpaired UTF-16 surrogate
            {"repeatedString":["\\ude00\\ud83d"]}  | repeatedString[0]        | an unpaired UTF-16 surrogate
            {"nope":1}                             | nope                     | Cannot find field: nope in message tandem.conformance.v1.Kitchen
            [1]                                    | body                     | Expect message object
            "not an object"                        | body                     | Expect message object
            {"stringValue":"a","stringValue":"b"}  | body                     | Duplicate field 'stringValue'
            {"stringValue":"s"} {}                 | body                     | more content after the JSON value at line 1, column 21
            {'stringValue':"s"}                    | body                     | at line 1, column 2
            {"int32Value":01}                      | body                     | Leading zeroes not allowed
            {"int32Value":NaN}                     | body                     | Non-standard token 'NaN'
            {"repeatedString":["a",]}              | body                     | Unexpected character
            """)
    void refusesNamingThePath(String json, String path, String reason) throws Exception {
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> STRICT.merge(json, Kitchen.newBuilder(), "body"));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(": invalid JSON body: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        BadRequest detail = e.status().getDetails(0).unpack(BadRequest.class);
        assertEquals(path, detail.getFieldViolations(0).getField(), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            repeated_string  | ["a","b"]               | repeated_string: "a" repeated_string: "b"
            string_map       | {"k":"v"}               | string_map { key: "k" value: "v" }
            nested           | {"stringValue":"s"}     | nested { string_value: "s" }
            nested           | null                    | ``
            int64_value      | "7"                     | int64_value: 7
            color            | "GREEN"                 | color: GREEN
            timestamp        | "1970-01-01T00:00:01Z"  | timestamp { seconds: 1 }
            string_wrapper   | "w"                     | string_wrapper { value: "w" }
            value            | null                    | value { null_value: NULL_VALUE }
            """)
    void readsABodyBoundToOneField(String field, String json, String expected) {
        Kitchen.Builder b = Kitchen.newBuilder();
        STRICT.mergeField(json, b, Kitchen.getDescriptor().findFieldByName(field));
        assertEquals(expected, com.google.protobuf.TextFormat.printer().shortDebugString(b.build()));
    }

    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            repeated_string | ["a",2]                  | repeated_string[1]
            string_map      | {"k":[]}                 | string_map.k
            nested          | {"child":{"ids":["x"]}}  | nested.child.ids[0]
            nested          | {"stringValue":"s"} {}   | nested
            int64_value     | 4,"stringValue":"x"      | int64_value
            int64_value     | {}                       | int64_value
            """)
    void namesFaultsInABodyFieldUnderTheField(String field, String json, String path) throws Exception {
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> STRICT.mergeField(json, Kitchen.newBuilder(), Kitchen.getDescriptor().findFieldByName(field)));
        assertEquals(path, e.status().getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField(),
                e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "{\"value\":" + "[".repeat(JsonCodec.MAX_DEPTH + 1) + "]".repeat(JsonCodec.MAX_DEPTH + 1) + "}";
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> STRICT.merge(deep, Kitchen.newBuilder(), "body"));
        assertTrue(e.getMessage().contains("nested deeper than " + JsonCodec.MAX_DEPTH), e.getMessage());
    }
}
