package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Start-up validation of HttpRules: every rule http.proto forbids fails, naming RPC and rule. */
class RouteCompilerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            get: "/v1/{nope}"                                | path variable {nope}: no field 'nope' in test.v1.Req
            get: "/v1/{ids}"                                 | names a repeated field
            get: "/v1/{sub}"                                 | names a message field
            get: "/v1/{revision.x}"                          | is not a singular message
            get: "/v1/{sub.nope}"                            | no field 'nope' in test.v1.Sub
            get: "/v1/{subs.subfield}"                       | is not a singular message
            get: "/v1/{sub.subField}"                        | no field 'subField' in test.v1.Sub
            post: "/v1/x" body: "nope"                       | body field 'nope' is not a top-level field of test.v1.Req
            post: "/v1/x" body: "sub.subfield"               | body field 'sub.subfield' is not a top-level field
            get: "/v1/x" response_body: "nope"               | response_body field 'nope' is not a top-level field
            get: "/v1/x" body: "*"                           | GET may not have a body
            delete: "/v1/x" body: "*"                        | DELETE may not have a body
            body: "*"                                        | the rule has no HTTP method and path
            get: "v1/x"                                      | expected '/' at the start at index 0
            get: "/v1/{name"                                 | expected '}'
            custom { kind: "" path: "/v1/x" }                | the rule has no HTTP method and path
            get: "/v1/x" additional_bindings { get: "/v2/x" additional_bindings { get: "/v3/x" } } | additional_bindings may not nest
            """)
    void rejectsInvalidRules(String rule, String problem) {
        InvalidHttpRuleException e = assertThrows(InvalidHttpRuleException.class,
                () -> RouteCompiler.compile(TestRpcs.ofRules(rule)));
        assertTrue(e.getMessage().startsWith("test.v1.Test.M0: rule \""), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void compilesEveryBindingOfARule() {
        List<Route> routes = RouteCompiler.compile(TestRpcs.ofRules("""
                get: "/v1/messages/{message_id}"
                additional_bindings { get: "/v1/users/{user_id}/messages/{message_id}" }
                additional_bindings { post: "/v1/messages" body: "message" response_body: "text" }
                additional_bindings { custom { kind: "head" path: "/v1/m/{name}" } }
                """));
        assertEquals(4, routes.size());
        assertEquals("GET /v1/messages/{message_id}", routes.get(0).rule());
        assertEquals("GET /v1/users/{user_id}/messages/{message_id}", routes.get(1).rule());
        assertEquals(Route.Body.FIELD, routes.get(2).body());
        assertEquals("message", routes.get(2).bodyField().getName());
        assertEquals("text", routes.get(2).responseBodyField().getName());
        assertEquals("HEAD", routes.get(3).httpMethod());
    }

    @Test
    void conflictingRulesFailNamingBothRpcs() {
        List<Route> routes = RouteCompiler.compile(TestRpcs.ofRules(
                "get: \"/v1/things/{name}\"", "get: \"/v1/things/{user_id}\""));
        InvalidHttpRuleException e = assertThrows(InvalidHttpRuleException.class, () -> RouteTable.of(routes));
        assertTrue(e.getMessage().contains("test.v1.Test.M0 \"GET /v1/things/{name}\""), e.getMessage());
        assertTrue(e.getMessage().contains("test.v1.Test.M1 \"GET /v1/things/{user_id}\""), e.getMessage());
        assertTrue(e.getMessage().contains("GET /v1/things/*"), e.getMessage());
    }

    @Test
    void sameTemplateOnOtherMethodsDoesNotConflict() {
        RouteTable t = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules(
                "get: \"/v1/things/{name}\"", "delete: \"/v1/things/{name}\"",
                "get: \"/v1/things/special\"")));
        assertEquals("M2", t.match("GET", RequestPath.parse("/v1/things/special")).route().rpc().proto().getName());
        assertEquals("M0", t.match("GET", RequestPath.parse("/v1/things/other")).route().rpc().proto().getName());
        assertEquals(java.util.Set.of("DELETE", "GET"), t.allowedMethods(RequestPath.parse("/v1/things/x")));
        assertEquals(null, t.match("POST", RequestPath.parse("/v1/things/x")));
        assertEquals(java.util.Set.of(), t.allowedMethods(RequestPath.parse("/v2/things/x")));
    }
}
