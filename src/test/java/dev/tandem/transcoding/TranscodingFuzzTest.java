package dev.tandem.transcoding;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the transcoder's request path: the path-template parser, the
 * matcher and the request binder. The property: whatever the input, each either succeeds or fails
 * with its own documented exception ({@link PathTemplateException}, {@link TranscodingException});
 * anything else (a NullPointerException, a NumberFormatException, a StackOverflowError) is a bug.
 *
 * <p>In the normal test run this replays the inputs kept under {@code
 * src/test/resources/dev/tandem/transcoding/TranscodingFuzzTestInputs/fuzz/} (regression mode);
 * the {@code fuzz} Surefire execution fuzzes it for a bounded time with {@code JAZZER_FUZZ=1}. One
 * target drives all three components, chosen by the first byte, because Jazzer fuzzes one target
 * per JVM. Crashes it finds are fixed and their inputs added to that directory.
 */
class TranscodingFuzzTest {

    private static final List<RpcMethod> RPCS = TestRpcs.ofRules(
            "get: \"/v1/{name=shelves/*/books/*}\"",
            "post: \"/v1/x/{sub.subfield}:do\" body: \"*\"",
            "patch: \"/v1/y/{revision}\" body: \"sub\"",
            "get: \"/v1/z/{message_id}\" additional_bindings { get: \"/v1/zz/{user_id=**}\" }",
            "put: \"/v1/w/{color}\" body: \"ids\"");
    private static final RouteTable TABLE = RouteTable.of(RouteCompiler.compile(RPCS));
    private static final RequestBinder BINDER = new RequestBinder(new JsonCodec(false), TranscodingOptions.STRICT);
    private static final String[] METHODS = {"GET", "POST", "PATCH", "PUT", "DELETE"};

    @FuzzTest(maxDuration = "15s")
    void fuzz(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> parseTemplate(data.consumeRemainingAsString());
            case 1 -> matchPath(data);
            default -> bindRequest(data);
        }
    }

    private static void parseTemplate(String text) {
        try {
            PathTemplate t = PathTemplate.parse(text);
            PathTemplate again = PathTemplate.parse(t.text());
            if (!again.shape().equals(t.shape())) {
                throw new AssertionError("parsing is not stable: " + text);
            }
        } catch (PathTemplateException expected) {
            // an invalid template, reported as such
        }
    }

    private static void matchPath(FuzzedDataProvider data) {
        String template = data.consumeString(60);
        String path = data.consumeRemainingAsString();
        try {
            PathTemplate t = PathTemplate.parse(template);
            RequestPath p = RequestPath.parse(path);
            if (p != null) {
                String[] values = t.match(p);
                if (values != null && values.length != t.variables().size()) {
                    throw new AssertionError("one value per variable");
                }
            }
        } catch (PathTemplateException | TranscodingException expected) {
            // invalid template, or a malformed bound segment
        }
    }

    private static void bindRequest(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String path = data.consumeString(80);
        Map<String, List<String>> query = new LinkedHashMap<>();
        int params = data.consumeInt(0, 4);
        for (int i = 0; i < params; i++) {
            query.computeIfAbsent(data.consumeString(20), k -> new ArrayList<>()).add(data.consumeString(30));
        }
        String body = data.consumeRemainingAsString();
        try {
            RequestPath p = RequestPath.parse(path);
            RouteTable.Match match = p == null ? null : TABLE.match(method, p);
            if (match != null) {
                BINDER.bind(match, query, body);
            }
            QueryString.parse(path.contains("?") ? path.substring(path.indexOf('?') + 1) : null);
        } catch (TranscodingException expected) {
            // a bad request, reported as INVALID_ARGUMENT or so
        }
    }
}
