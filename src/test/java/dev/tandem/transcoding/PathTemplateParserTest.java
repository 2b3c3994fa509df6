package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of {@link PathTemplateParser}: the grammar of google/api/http.proto. */
class PathTemplateParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/users                          | /v1/users                   |                    |
            /v1/users/{id}                     | /v1/users/*                 | id=2..3            |
            /v1/{name=messages/*}              | /v1/messages/*              | name=1..3          |
            /v1/users/{user.id}                | /v1/users/*                 | user.id=2..3       |
            /v1/{name=shelves/*/books/*}       | /v1/shelves/*/books/*       | name=1..5          |
            /v1/{name=**}                      | /v1/**                      | name=1..2          |
            /v1/*/x/**                         | /v1/*/x/**                  |                    |
            /v1/{a}/{b=c/*}/{d=**}             | /v1/*/c/*/**                | a=1..2 b=2..4 d=4..5 |
            /v1/projects/{p}/topics/{t}:publish | /v1/projects/*/topics/*:publish | p=2..3 t=4..5 |
            /v1/users:all                      | /v1/users:all               |                    |
            /v1/{name=projects/*}:getIamPolicy | /v1/projects/*:getIamPolicy | name=1..3          |
            /a%20b/{x_y9}                      | /a b/*                      | x_y9=1..2          |
            /v1/{name=**}:verb                 | /v1/**:verb                 | name=1..2          |
            /{id}                              | /*                          | id=0..1            |
            """)
    void parsesValidTemplates(String template, String shape, String variables) {
        PathTemplate t = PathTemplate.parse(template);
        assertEquals(shape, t.shape());
        String vars = t.variables().stream()
                .map(v -> v.fieldPath() + "=" + v.start() + ".." + v.end())
                .collect(Collectors.joining(" "));
        assertEquals(variables == null ? "" : variables, vars);
        assertEquals(template, t.text());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            v1/users                | 0  | expected '/' at the start
            ``                      | 0  | expected '/' at the start
            /                       | 1  | expected a segment
            /v1//users              | 4  | unexpected '/'
            /v1/users/              | 10 | expected a segment
            /v1/{id                 | 7  | expected '}'
            /v1/{}                  | 5  | expected a field name
            /v1/{9id}               | 5  | expected a field name
            /v1/{a.}                | 7  | expected a field name
            /v1/{a={b}}             | 7  | a variable may not contain another variable
            /v1/**/x                | 4  | '**' must be the last segment
            /v1/{a=**}/x            | 7  | '**' must be the last segment
            /v1/{a}/{a}             | 8  | field path 'a' is bound twice
            /v1/x:                  | 6  | expected a verb after ':'
            /v1/x:a/b               | 7  | unexpected '/'
            /v1/***                 | 6  | unexpected '*'
            /v1/x?y                 | 5  | unexpected '?'
            /v1/{a=}                | 7  | unexpected '}'
            /v1/{a b}               | 6  | expected '}'
            /v1/%zz                 | 4  | literal is not valid percent-encoded UTF-8
            """)
    void rejectsInvalidTemplatesNamingTheIndex(String template, int index, String problem) {
        PathTemplateException e = assertThrows(PathTemplateException.class, () -> PathTemplate.parse(template));
        assertEquals(index, e.index(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + template + "\""), e.getMessage());
    }
}
