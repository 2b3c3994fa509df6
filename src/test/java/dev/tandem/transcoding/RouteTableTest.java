package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RouteTable#mayMatch}: a path that starts where no template does (Quarkus's {@code /q/*})
 * is passed on without trying any route, and this never hides a route; and {@link QueryParameters}
 * resolves a route's parameter names when the route is compiled.
 */
class RouteTableTest {

    private static final RouteTable LITERAL_FIRST = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules(
            "get: \"/v1/x/{name}\"", "post: \"/v1:batch\" body: \"*\"", "get: \"/v2/{name=items/**}\"")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /q/health       | false
            /q/metrics      | false
            /               | false
            /v3/x/a         | false
            /v1%2Fx/a       | false
            /v1/x/a         | true
            /v1/nothing     | true
            /%76%31/x/a     | true
            /v1:batch       | true
            /v1%3Abatch     | true
            /v2/items/a/b   | true
            /%ZZ/x          | false
            """)
    void passesOnPathsNoTemplateStartsWith(String path, boolean may) {
        RequestPath p = RequestPath.parse(path);
        assertEquals(may, LITERAL_FIRST.mayMatch(p));
        if (!may) { // never hides a route: neither a match nor a 405
            assertNull(LITERAL_FIRST.match("GET", p));
            assertNull(LITERAL_FIRST.match("POST", p));
            assertEquals(Set.of(), LITERAL_FIRST.allowedMethods(p));
        }
    }

    @Test
    void aTemplateStartingWithAVariableMayMatchAnyPath() {
        RouteTable t = RouteTable.of(RouteCompiler.compile(TestRpcs.ofRules("get: \"/{name=**}\"")));
        assertTrue(t.mayMatch(RequestPath.parse("/q/health")));
    }

    @Test
    void queryParameterNamesAreResolvedWhenTheRouteIsCompiled() {
        Route r = LITERAL_FIRST.match("GET", RequestPath.parse("/v1/x/a")).route();
        QueryParameters.Parameter proto = r.query().resolve("sub.big");
        assertSame(proto, r.query().resolve("sub.big"), "looked up, not resolved again");
        assertEquals("big", proto.path().leaf().getName());
        assertSame(r.query().resolve("message_id"), r.query().resolve("message_id"));
        assertEquals("bound by the request path", r.query().resolve("name").refusal());
        assertTrue(r.query().resolve("sub").always(), "a message field is refused even when lenient");
        assertEquals("unknown query parameter", r.query().resolve("nope").refusal());
        // a recursive path is not listed ahead of time, but resolves the same way when asked for
        assertEquals("subfield", r.query().resolve("sub.deeper.deeper.subfield").path().leaf().getName());
    }
}
