package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormat;
import dev.tandem.conformance.api.Kitchen;
import io.grpc.Status.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of {@link ScalarValues}: the text of a path variable or query parameter, read as the
 * proto3 JSON mapping reads the same value in a JSON string, for every scalar type, enums, bytes and
 * the well-known types a query may set (fields of the conformance contract's {@code Kitchen}).
 */
class ScalarValuesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            string_value   | a b               | string_value: "a b"
            string_value   | ``                | ``
            string_value   | 😀                | string_value: "\\360\\237\\230\\200"
            int32_value    | -2147483648       | int32_value: -2147483648
            int32_value    | 2147483647        | int32_value: 2147483647
            int32_value    | 007               | int32_value: 7
            uint32_value   | 4294967295        | uint32_value: 4294967295
            fixed32_value  | 4294967295        | fixed32_value: 4294967295
            sint32_value   | -5                | sint32_value: -5
            sfixed32_value | -5                | sfixed32_value: -5
            int64_value    | -9223372036854775808 | int64_value: -9223372036854775808
            uint64_value   | 18446744073709551615 | uint64_value: 18446744073709551615
            fixed64_value  | 18446744073709551615 | fixed64_value: 18446744073709551615
            sint64_value   | 9223372036854775807 | sint64_value: 9223372036854775807
            sfixed64_value | -1                | sfixed64_value: -1
            double_value   | 1.5               | double_value: 1.5
            double_value   | -2e-3             | double_value: -0.002
            double_value   | NaN               | double_value: NaN
            double_value   | -Infinity         | double_value: -Infinity
            float_value    | 0.25              | float_value: 0.25
            float_value    | Infinity          | float_value: Infinity
            bool_value     | true              | bool_value: true
            bool_value     | false             | ``
            bytes_value    | AQI=              | bytes_value: "\\001\\002"
            bytes_value    | AQI               | bytes_value: "\\001\\002"
            bytes_value    | -_8=              | bytes_value: "\\373\\377"
            bytes_value    | +/8=              | bytes_value: "\\373\\377"
            color          | GREEN             | color: GREEN
            color          | 1                 | color: RED
            repeated_int64 | 3                 | repeated_int64: 3
            repeated_color | RED               | repeated_color: RED
            timestamp      | 2023-05-01T00:00:00Z | timestamp { seconds: 1682899200 }
            timestamp      | 1970-01-01T00:00:00.5+01:00 | timestamp { seconds: -3600 nanos: 500000000 }
            duration       | 1.5s              | duration { seconds: 1 nanos: 500000000 }
            duration       | -0.000000001s     | duration { nanos: -1 }
            field_mask     | a,b.cD            | field_mask { paths: "a" paths: "b.c_d" }
            double_wrapper | 2.5               | double_wrapper { value: 2.5 }
            float_wrapper  | 2.5               | float_wrapper { value: 2.5 }
            int64_wrapper  | -9                | int64_wrapper { value: -9 }
            uint64_wrapper | 9                 | uint64_wrapper { value: 9 }
            int32_wrapper  | 7                 | int32_wrapper { value: 7 }
            uint32_wrapper | 7                 | uint32_wrapper { value: 7 }
            bool_wrapper   | false             | bool_wrapper { }
            string_wrapper | "quoted" \\ text   | string_wrapper { value: "\\"quoted\\" \\\\ text" }
            bytes_wrapper  | AQI=              | bytes_wrapper { value: "\\001\\002" }
            optional_int32 | 0                 | optional_int32: 0
            choice_int     | 4                 | choice_int: 4
            """)
    void readsTheTextOfEachType(String field, String text, String expected) {
        Kitchen.Builder k = Kitchen.newBuilder();
        ScalarValues.set(k, fd(field), text, field);
        assertEquals(expected, TextFormat.printer().emittingSingleLine(true).printToString(k).strip());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            int32_value    | 2147483648
            int32_value    | 1.0
            int32_value    | 1e2
            int32_value    | +1
            int32_value    | ` 1`
            int32_value    | 0x10
            int32_value    | ``
            uint32_value   | -1
            uint32_value   | 4294967296
            int64_value    | 9223372036854775808
            uint64_value   | 18446744073709551616
            uint64_value   | -1
            double_value   | 1d
            double_value   | 0x1p3
            double_value   | +1
            double_value   | .5
            double_value   | 1.
            double_value   | 1e400
            double_value   | nan
            double_value   | inf
            float_value    | 1e39
            bool_value     | TRUE
            bool_value     | 1
            bool_value     | yes
            bytes_value    | %%%
            bytes_value    | A
            color          | BLUE
            color          | red
            color          | 9
            color          | 1.5
            timestamp      | yesterday
            timestamp      | 2023-05-01
            timestamp      | 10000-01-01T00:00:00Z
            duration       | 1.5
            duration       | 315576000001s
            int32_wrapper  | 2147483648
            bool_wrapper   | yes
            nested         | x
            struct_value   | {}
            value          | 1
            """)
    void refusesTextThatIsNotAValueOfTheType(String field, String text) {
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> ScalarValues.set(Kitchen.newBuilder(), fd(field), text, "param." + field));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("param." + field), e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            string_value  | true
            color         | true
            bytes_value   | true
            repeated_int64 | true
            timestamp     | true
            duration      | true
            field_mask    | true
            string_wrapper | true
            nested        | false
            repeated_nested | false
            struct_value  | false
            value         | false
            list_value    | false
            any           | false
            empty         | false
            """)
    void knowsWhichFieldsAreScalar(String field, boolean scalar) {
        assertEquals(scalar, ScalarValues.isScalar(fd(field)));
    }

    private static FieldDescriptor fd(String name) {
        FieldDescriptor fd = Kitchen.getDescriptor().findFieldByName(name);
        assertTrue(fd != null, name);
        return fd;
    }
}
