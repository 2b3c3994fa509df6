package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import dev.tandem.conformance.api.Kitchen;
import io.grpc.Status.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of {@link JsonTypes}: the JSON type of each field kind per the proto3 JSON mapping,
 * checked before JsonFormat (which coerces) reads a body of the conformance contract's {@code
 * Kitchen}; an error names the JSON path of the first wrong value.
 */
class JsonTypesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}
            {"stringValue":"s","bytesValue":"AQI=","boolValue":false}
            {"int32Value":1,"int64Value":"2","uint64Value":3,"doubleValue":"NaN","floatValue":1.5}
            {"color":"RED","repeatedColor":["GREEN",1]}
            {"nested":{"stringValue":"a","child":{"ids":[1,"2"]}}}
            {"repeatedString":["a","b"],"repeatedNested":[{},{"int64Value":"1"}]}
            {"stringMap":{"k":"v"},"nestedMap":{"1":{"stringValue":"x"}}}
            {"stringValue":null,"nested":null,"repeatedString":null,"stringMap":{"k":null}}
            {"timestamp":"1970-01-01T00:00:00Z","duration":"1s","fieldMask":"a,b"}
            {"structValue":{"a":[1,{"b":null}]},"value":[1],"listValue":[{}],"any":{"@type":"x"}}
            {"stringWrapper":"s","int64Wrapper":"1","boolWrapper":true,"bytesWrapper":"AQI="}
            {"string_value":"proto names too"}
            {"unknownField":[1,{"x":true}]}
            {"stringValue":"😀 \\ud83d\\ude00"}
            [1]
            "not an object"
            """)
    void acceptsTheTypesOfTheMapping(String json) {
        JsonTypes.check(json, Kitchen.getDescriptor(), "body"); // a non-object is JsonFormat's to report
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"stringValue":1}                      | stringValue              | a JSON string
            {"stringValue":true}                   | stringValue              | a JSON string
            {"stringValue":["a"]}                  | stringValue              | a JSON string
            {"stringValue":{}}                     | stringValue              | a JSON string
            {"bytesValue":1}                       | bytesValue               | a JSON string
            {"boolValue":"true"}                   | boolValue                | true or false
            {"boolValue":1}                        | boolValue                | true or false
            {"int32Value":true}                    | int32Value               | a JSON number
            {"int64Value":[1]}                     | int64Value               | a JSON number
            {"doubleValue":{}}                     | doubleValue              | a JSON number
            {"color":true}                         | color                    | an enum name or number
            {"nested":"x"}                         | nested                   | a JSON object
            {"nested":[]}                          | nested                   | a JSON object
            {"nested":{"child":{"stringValue":1}}} | nested.child.stringValue | a JSON string
            {"nested":{"ids":1}}                   | nested.ids               | a JSON array
            {"repeatedString":"a"}                 | repeatedString           | a JSON array
            {"repeatedString":["a",2]}             | repeatedString[1]        | a JSON string
            {"repeatedNested":[{},1]}              | repeatedNested[1]        | a JSON object
            {"stringMap":[]}                       | stringMap                | a JSON object
            {"stringMap":{"k":1}}                  | stringMap.k              | a JSON string
            {"nestedMap":{"1":"x"}}                | nestedMap.1              | a JSON object
            {"stringWrapper":1}                    | stringWrapper            | a JSON string
            {"boolWrapper":"true"}                 | boolWrapper              | true or false
            {"int64Wrapper":true}                  | int64Wrapper             | a JSON number
            {"choiceNested":{"int64Value":false}}  | choiceNested.int64Value  | a JSON number
            {"stringValue":"\\ud800"}              | stringValue              | an unpaired UTF-16 surrogate
            {"stringValue":"a\\udc00b"}            | stringValue              | an unpaired UTF-16 surrogate
            {"repeatedString":["\\ude00\\ud83d"]}  | repeatedString[0]        | an unpaired UTF-16 surrogate
            """)
    void refusesTheWrongTypeNamingItsPath(String json, String path, String reason) throws Exception {
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> JsonTypes.check(json, Kitchen.getDescriptor(), "body"));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        BadRequest detail = e.status().getDetails(0).unpack(BadRequest.class);
        assertEquals(path, detail.getFieldViolations(0).getField());
    }
}
