package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of {@link PathTemplate#match}: segment matching, verbs and percent-decoding. */
class PathTemplateMatchTest {

    private static final String NO_MATCH = "<no match>";

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/{name=messages/*}              | /v1/messages/123456               | messages/123456
            /v1/messages/{message_id}          | /v1/messages/123456               | 123456
            /v1/users/{user_id}/messages/{message_id} | /v1/users/me/messages/123456 | me,123456
            /v1/{name=projects/*/topics/*}:publish | /v1/projects/p1/topics/t1:publish | projects/p1/topics/t1
            /v1/{name=projects/*/topics/*}:publish | /v1/projects/p1/topics/t1%3Apublish | projects/p1/topics/t1
            /v1/{name=projects/*/topics/*}:publish | /v1/projects/p1/topics/t1     | <no match>
            /v1/{name=projects/*/topics/*}:publish | /v1/projects/p1/topics/t1:other | <no match>
            /v1/users                          | /v1/users                         | ''
            /v1/users                          | /v1/users/                        | <no match>
            /v1/users                          | /v1/users:all                     | <no match>
            /v1/users:all                      | /v1/users:all                     | ''
            /v1/users/{id}                     | /v1/users                         | <no match>
            /v1/users/{id}                     | /v1/users/                        | <no match>
            /v1/users/{id}                     | /v1/users/1/2                     | <no match>
            /v1/greeter/{name}                 | /v1/greeter/a:b                   | a:b
            /v1/greeter/{name}                 | /v1/greeter/a%2Fb                 | a/b
            /v1/greeter/{name}                 | /v1/greeter/%E2%82%AC%20x         | € x
            /v1/greeter/{name}                 | /v1/greeter/a+b                   | a+b
            /v1/{name=shelves/*/books/*}       | /v1/shelves/s%2F1/books/b%201     | shelves/s%2F1/books/b 1
            /v1/{name=**}                      | /v1/a/b%2fc/d                     | a/b%2fc/d
            /v1/{name=**}                      | /v1                               | ''
            /v1/{name=**}                      | /v1/x:verb                        | x:verb
            /v1/{name=**}:verb                 | /v1/x/y:verb                      | x/y
            /v1/*/x/**                         | /v1/a/x/b/c                       | ''
            /v1/*/x/**                         | /v1/a/y/b/c                       | <no match>
            /v1/%7Ex                           | /v1/~x                            | ''
            /v1/~x                             | /v1/%7Ex                          | ''
            /v1/{a}/{b=c/*}/{d=**}             | /v1/1/c/2/3/4                     | 1,c/2,3/4
            """)
    void matches(String template, String path, String expected) {
        String[] values = PathTemplate.parse(template).match(RequestPath.parse(path));
        if (NO_MATCH.equals(expected)) {
            assertNull(values);
        } else {
            assertEquals(expected == null ? "" : expected, String.join(",", values));
        }
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/greeter/{name}  | /v1/greeter/%E2%82
            /v1/greeter/{name}  | /v1/greeter/%zz
            /v1/{name=**}       | /v1/a/%
            """)
    void rejectsMalformedPercentEncodingInBoundSegments(String template, String path) {
        TranscodingException e = assertThrows(TranscodingException.class,
                () -> PathTemplate.parse(template).match(RequestPath.parse(path)));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.code());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/x/{a}   | /v1/*/{b}   | /v1/{c=**}  | /v1/x/y    | /v1/x/{a}
            /v1/{c=**}  | /v1/x:v     | /v1/{b}     | /v1/x:v    | /v1/x:v
            /v1/{c=**}  | /v1/{b}     | /v1/{b}/x   | /v1/q      | /v1/{b}
            """)
    void mostSpecificTemplateIsTriedFirst(String t1, String t2, String t3, String path, String winner) {
        java.util.List<PathTemplate> ts = new java.util.ArrayList<>(java.util.List.of(
                PathTemplate.parse(t1), PathTemplate.parse(t2), PathTemplate.parse(t3)));
        ts.sort(PathTemplate::compareSpecificity);
        RequestPath p = RequestPath.parse(path);
        PathTemplate first = ts.stream().filter(t -> t.match(p) != null).findFirst().orElseThrow();
        assertEquals(winner, first.text());
    }
}
