package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of {@link QueryString}: form decoding, strict UTF-8. */
class QueryStringTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a=1&b=2           | {a=[1], b=[2]}
            a=1&a=2&a=        | {a=[1, 2, ]}
            a+b=c+d%2Be       | {a b=[c d+e]}
            flag&x=1          | {flag=[], x=[1]}
            &&x=%E2%82%AC&    | {x=[€]}
            =nameless&y=%3D   | {y=[=]}
            ``                | {}
            """)
    void parses(String raw, String expected) {
        assertEquals(expected, QueryString.parse(raw).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            x=%E2%82     | x
            x=%zz        | x
            x=1&y=%      | y
            %FF=1        | %FF
            """)
    void refusesMalformedEscapesNamingTheParameter(String raw, String field) throws Exception {
        TranscodingException e = assertThrows(TranscodingException.class, () -> QueryString.parse(raw));
        assertEquals(400, e.httpStatus());
        assertEquals(field, e.status().getDetails(0).unpack(com.google.rpc.BadRequest.class)
                .getFieldViolations(0).getField(), e.getMessage());
    }
}
