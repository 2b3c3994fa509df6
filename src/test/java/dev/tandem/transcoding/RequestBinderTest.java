package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import io.grpc.Status.Code;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of {@link RequestBinder}: which request fields come from the path, the query and the
 * body, per google/api/http.proto. The first rows are the public cases of TRANSCODING.md.
 */
class RequestBinderTest {

    private static final RequestBinder STRICT = new RequestBinder(new JsonCodec(false), TranscodingOptions.STRICT);

    @ParameterizedTest(name = "{0} | {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            get: "/v1/{name=messages/*}"                   | GET   | /v1/messages/123456                              |                  | {"name":"messages/123456"}
            get: "/v1/messages/{message_id}"               | GET   | /v1/messages/123456?revision=2&sub.subfield=foo  |                  | {"revision":2,"sub":{"subfield":"foo"},"messageId":"123456"}
            patch: "/v1/messages/{message_id}" body: "message" | PATCH | /v1/messages/123456                          | {"subfield":"Hi!"} | {"messageId":"123456","message":{"subfield":"Hi!"}}
            patch: "/v1/messages/{message_id}" body: "*"   | PATCH | /v1/messages/123456                              | {"text":"Hi!"}   | {"messageId":"123456","text":"Hi!"}
            get: "/v1/messages/{message_id}" additional_bindings { get: "/v1/users/{user_id}/messages/{message_id}" } | GET | /v1/users/me/messages/123456 | | {"messageId":"123456","userId":"me"}
            post: "/v1/{name=projects/*/topics/*}:publish" body: "*" | POST | /v1/projects/p1/topics/t1:publish       | {}               | {"name":"projects/p1/topics/t1"}
            get: "/v1/x"                                   | GET   | /v1/x?ids=1&ids=2&ids=3                          |                  | {"ids":[1,2,3]}
            get: "/v1/x"                                   | GET   | /v1/x?color=RED                                  |                  | {"color":"RED"}
            get: "/v1/x"                                   | GET   | /v1/x?color=2                                    |                  | {"color":"GREEN"}
            get: "/v1/x"                                   | GET   | /v1/x?flag=true&revision=-7                      |                  | {"revision":-7,"flag":true}
            get: "/v1/x"                                   | GET   | /v1/x?sub.big=9223372036854775807                |                  | {"sub":{"big":"9223372036854775807"}}
            get: "/v1/x"                                   | GET   | /v1/x?u64=18446744073709551615                   |                  | {"u64":"18446744073709551615"}
            get: "/v1/x"                                   | GET   | /v1/x?data=aGk%3D                                |                  | {"data":"aGk="}
            get: "/v1/x"                                   | GET   | /v1/x?data=-_8                                   |                  | {"data":"+/8="}
            get: "/v1/x"                                   | GET   | /v1/x?at=2023-05-01T00:00:00Z                    |                  | {"at":"2023-05-01T00:00:00Z"}
            get: "/v1/x"                                   | GET   | /v1/x?wrapped=5                                  |                  | {"wrapped":5}
            get: "/v1/x"                                   | GET   | /v1/x?messageId=a&sub.deeper.subfield=b          |                  | {"sub":{"deeper":{"subfield":"b"}},"messageId":"a"}
            get: "/v1/x"                                   | GET   | /v1/x?ratio=NaN                                  |                  | {"ratio":"NaN"}
            get: "/v1/x"                                   | GET   | /v1/x?name=a%20b+c                               |                  | {"name":"a b c"}
            get: "/v1/{sub.subfield}"                      | GET   | /v1/abc?sub.big=1                                |                  | {"sub":{"subfield":"abc","big":"1"}}
            put: "/v1/x/{name}" body: "ids"                | PUT   | /v1/x/n                                          | [4,5]            | {"name":"n","ids":[4,5]}
            put: "/v1/x/{name}" body: "text"               | PUT   | /v1/x/n?flag=true                                | "t"              | {"name":"n","flag":true,"text":"t"}
            post: "/v1/x/{name}" body: "*"                 | POST  | /v1/x/fromPath                                   | {"name":"fromBody","revision":1} | {"name":"fromPath","revision":1}
            post: "/v1/x" body: "*"                        | POST  | /v1/x                                            | {"message_id":"proto-name"} | {"messageId":"proto-name"}
            """)
    void bindsRequests(String rule, String method, String target, String body, String expected) {
        assertEquals(expected, TestRpcs.json(bind(rule, method, target, body)));
    }

    @ParameterizedTest(name = "{0} | {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            get: "/v1/x"                        | GET   | /v1/x?nope=1              |              | nope
            get: "/v1/x"                        | GET   | /v1/x?revision=abc        |              | revision
            get: "/v1/x"                        | GET   | /v1/x?revision=2147483648 |              | revision
            get: "/v1/x"                        | GET   | /v1/x?revision=1&revision=2 |            | revision
            get: "/v1/x"                        | GET   | /v1/x?flag=yes            |              | flag
            get: "/v1/x"                        | GET   | /v1/x?color=BLUE          |              | color
            get: "/v1/x"                        | GET   | /v1/x?color=9             |              | color
            get: "/v1/x"                        | GET   | /v1/x?sub=x               |              | sub
            get: "/v1/x"                        | GET   | /v1/x?subs.subfield=x     |              | subs.subfield
            get: "/v1/x"                        | GET   | /v1/x?labels=x            |              | labels
            get: "/v1/x"                        | GET   | /v1/x?at=yesterday        |              | at
            get: "/v1/x"                        | GET   | /v1/x?data=%%%            |              | data
            get: "/v1/x/{revision}"             | GET   | /v1/x/seven               |              | revision
            get: "/v1/x/{name}"                 | GET   | /v1/x/a?name=b            |              | name
            get: "/v1/x/{sub.subfield}"         | GET   | /v1/x/a?sub.subfield=b    |              | sub.subfield
            post: "/v1/x" body: "*"             | POST  | /v1/x?name=a              | {}           | name
            post: "/v1/x" body: "sub"           | POST  | /v1/x?sub.big=1           | {}           | sub.big
            """)
    void rejectsBadParametersNamingTheField(String rule, String method, String target, String body, String field) {
        TranscodingException e = assertThrows(TranscodingException.class, () -> bind(rule, method, target, body));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertEquals(400, e.httpStatus());
        BadRequest detail = unpack(e);
        assertEquals(field, detail.getFieldViolations(0).getField(), e.getMessage());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            post: "/v1/x" body: "*"      | {"name":             | end-of-input within/between Object entries at line 1, column 9
            post: "/v1/x" body: "*"      | {"nope":1}           | Cannot find field: nope in message test.v1.Req
            post: "/v1/x" body: "*"      | {"revision":"x"}     | Not an int32 value
            post: "/v1/x" body: "*"      | [1]                  | Expect message object
            post: "/v1/x" body: "sub"    | {"big":"1.5"}        | Not an int64 value
            """)
    void rejectsBadBodiesWithTheReason(String rule, String body, String reason) {
        TranscodingException e = assertThrows(TranscodingException.class, () -> bind(rule, "POST", "/v1/x", body));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /**
     * A body bound to one field is one JSON value: text after it, which string concatenation into
     * {@code {"field":<body>}} would have read as more fields of the request, is refused.
     */
    @ParameterizedTest(name = "{0} | {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            put: "/v1/x/{name}" body: "ids"    | [4],"text":"smuggled"
            put: "/v1/x/{name}" body: "ids"    | [4]}
            put: "/v1/x/{name}" body: "ids"    | [4] [5]
            put: "/v1/x/{name}" body: "ids"    | [4] x
            put: "/v1/x/{name}" body: "text"   | "t","flag":true
            put: "/v1/x/{name}" body: "text"   | "t" "u"
            put: "/v1/x/{name}" body: "revision" | 4,"text":"smuggled"
            put: "/v1/x/{name}" body: "revision" | 4 5
            put: "/v1/x/{name}" body: "color"  | "RED","flag":true
            put: "/v1/x/{name}" body: "sub"    | {"subfield":"s"},"text":"smuggled"
            put: "/v1/x/{name}" body: "sub"    | {"subfield":"s"} {}
            put: "/v1/x/{name}" body: "at"     | "2023-05-01T00:00:00Z","text":"smuggled"
            put: "/v1/x/{name}" body: "wrapped" | 5,"text":"smuggled"
            put: "/v1/x/{name}" body: "labels" | {"k":"v"},"text":"smuggled"
            put: "/v1/x/{name}" body: "ids"    | null,"text":"smuggled"
            """)
    void aBodyFieldIsOneJsonValue(String rule, String body) {
        TranscodingException e = assertThrows(TranscodingException.class, () -> bind(rule, "PUT", "/v1/x/n", body));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("invalid JSON body: "), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void lenientOptionsIgnoreUnknownParametersAndFields() {
        RequestBinder lenient = new RequestBinder(new JsonCodec(true), new TranscodingOptions(false, false, false, false, 1024));
        RouteTable t = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules("post: \"/v1/x/{name}\" body: \"sub\"")));
        RouteTable.Match m = t.match("POST", RequestPath.parse("/v1/x/n"));
        assertEquals("{\"name\":\"n\",\"sub\":{\"subfield\":\"s\"}}", TestRpcs.json(lenient.bind(
                m, Map.of("nope", List.of("1"), "sub.big", List.of("2")), "{\"subfield\":\"s\",\"extra\":1}")));
        RouteTable get = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules("get: \"/v1/x/{name}\"")));
        assertEquals("{\"name\":\"g\"}", TestRpcs.json(lenient.bind(
                get.match("GET", RequestPath.parse("/v1/x/g")), Map.of(), "{\"ignored\":true}")));
    }

    private static com.google.protobuf.Message bind(String rule, String method, String target, String body) {
        RouteTable table = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules(rule)));
        String[] pathAndQuery = target.split("\\?", 2);
        RouteTable.Match match = table.match(method, RequestPath.parse(pathAndQuery[0]));
        assertNotNull(match, "no route matched " + target);
        return STRICT.bind(match, query(pathAndQuery.length > 1 ? pathAndQuery[1] : null), body);
    }

    private static Map<String, List<String>> query(String q) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (q != null) {
            for (String pair : q.split("&")) {
                String[] kv = pair.split("=", 2);
                out.computeIfAbsent(decode(kv[0]), k -> new java.util.ArrayList<>()).add(decode(kv[1]));
            }
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s; // passed through raw, as a client could send it
        }
    }

    private static BadRequest unpack(TranscodingException e) {
        try {
            return e.status().getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}
