package dev.tandem.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.conformance.api.KitchenUpdate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ConformanceCase}s against any HTTP server that fronts the {@code
 * tandem.conformance.v1.Conformance} service: Tandem itself, or a peer transcoder such as
 * grpc-gateway. Compares the bound request message and the messages of a newline-delimited JSON
 * stream as protobuf messages (so peers that print JSON differently still compare), and everything
 * else exactly.
 */
public final class ConformanceRunner {

    /**
     * The outcome of one case.
     *
     * @param testCase the case
     * @param problems what differed from the expectation; empty when the case passed
     * @param status the HTTP status received (0 if the request failed)
     * @param body the body received
     * @param contentType the response's Content-Type, or {@code null}
     */
    public record Result(ConformanceCase testCase, List<String> problems, int status, String body, String contentType) {
        /** @return whether the case passed */
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /** Types an {@code Any} in a case may hold. */
    private static final TypeRegistry TYPES = TypeRegistry.newBuilder()
            .add(com.google.protobuf.Duration.getDescriptor())
            .add(com.google.protobuf.Timestamp.getDescriptor())
            .add(com.google.protobuf.Struct.getDescriptor())
            .add(Kitchen.getDescriptor())
            .add(com.google.rpc.BadRequest.getDescriptor())
            .build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** @param base e.g. {@code http://localhost:8081} */
    public ConformanceRunner(URI base) {
        this.base = base;
    }

    /**
     * @param c a case
     * @return its outcome
     */
    public Result run(ConformanceCase c) {
        JsonNode req = c.json().get("request");
        List<String> problems = new ArrayList<>();
        HttpResponse<String> response;
        try {
            response = http.send(request(req), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Result(c, List.of("request failed: " + e), 0, "", null);
        }
        String body = response.body();
        int expectedStatus = c.json().get("status").asInt();
        if (response.statusCode() != expectedStatus) {
            problems.add("status " + response.statusCode() + ", expected " + expectedStatus);
        }
        JsonNode parsed = null;
        if (c.json().has("ndjson")) {
            checkNdjson(c, body, problems);
        } else {
            try {
                parsed = ConformanceCase.MAPPER.readTree(body);
            } catch (IOException e) {
                if (c.json().has("bound") || c.json().has("response") || c.json().has("code")) {
                    problems.add("body is not JSON: " + e.getMessage());
                }
            }
        }
        if (parsed != null) {
            checkBound(c, body, problems);
            checkResponse(c, parsed, problems);
            checkError(c, parsed, problems);
        }
        checkHeaders(c, response, problems);
        return new Result(c, problems, response.statusCode(), body,
                response.headers().firstValue("content-type").orElse(null));
    }

    private HttpRequest request(JsonNode req) {
        String method = req.get("method").asText();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + req.get("path").asText()))
                .timeout(Duration.ofSeconds(10));
        boolean hasContentType = false;
        if (req.has("headers")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = req.get("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                b.header(h.getKey(), h.getValue().asText());
                hasContentType |= h.getKey().equalsIgnoreCase("content-type");
            }
        }
        JsonNode body = req.get("body");
        if (body == null || body.isNull()) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            if (!hasContentType) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body.isTextual() ? body.asText() : body.toString()));
        }
        return b.build();
    }

    private static Message prototype(ConformanceCase c) {
        return "KitchenUpdate".equals(c.json().path("type").asText("Kitchen"))
                ? KitchenUpdate.getDefaultInstance()
                : Kitchen.getDefaultInstance();
    }

    private static void checkBound(ConformanceCase c, String body, List<String> problems) {
        if (!c.json().has("bound")) {
            return;
        }
        Message prototype = prototype(c);
        try {
            Message.Builder expected = prototype.newBuilderForType();
            TextFormat.Parser.newBuilder().setTypeRegistry(TYPES).build()
                    .merge(c.json().get("bound").asText(), expected);
            Message.Builder actual = prototype.newBuilderForType();
            JsonFormat.parser().usingTypeRegistry(TYPES).merge(body, actual);
            if (!expected.build().equals(actual.build())) {
                problems.add("bound {" + TextFormat.shortDebugString(actual) + "}, expected {"
                        + TextFormat.shortDebugString(expected) + "}");
            }
        } catch (TextFormat.ParseException e) {
            problems.add("the case's 'bound' is not valid text format: " + e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            problems.add("response is not a " + prototype.getDescriptorForType().getName() + ": " + e.getMessage());
        }
    }

    /**
     * Compares a newline-delimited JSON body line by line: each expected line is {@code {"result":
     * <message>}}, compared as a message of the case's type, or {@code {"error":
     * <google.rpc.Status>}}, compared as a {@code google.rpc.Status}; both parsed by the proto3 JSON
     * mapping. Blank lines are ignored.
     */
    private static void checkNdjson(ConformanceCase c, String body, List<String> problems) {
        JsonNode expected = c.json().get("ndjson");
        List<String> lines = body.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != expected.size()) {
            problems.add(lines.size() + " JSON lines, expected " + expected.size());
        }
        for (int i = 0; i < Math.min(lines.size(), expected.size()); i++) {
            JsonNode want = expected.get(i);
            String key = want.fieldNames().hasNext() ? want.fieldNames().next() : "";
            Message prototype = "error".equals(key) ? com.google.rpc.Status.getDefaultInstance() : prototype(c);
            JsonNode got;
            try {
                got = ConformanceCase.MAPPER.readTree(lines.get(i));
            } catch (IOException e) {
                problems.add("line " + (i + 1) + " is not JSON: " + lines.get(i));
                continue;
            }
            if (!got.isObject() || got.size() != 1 || !got.has(key)) {
                problems.add("line " + (i + 1) + " " + got + ", expected one member \"" + key + "\"");
                continue;
            }
            try {
                Message.Builder e = prototype.newBuilderForType();
                JsonFormat.parser().usingTypeRegistry(TYPES).merge(want.get(key).toString(), e);
                Message.Builder a = prototype.newBuilderForType();
                JsonFormat.parser().usingTypeRegistry(TYPES).merge(got.get(key).toString(), a);
                if (!e.build().equals(a.build())) {
                    problems.add("line " + (i + 1) + " " + key + " {" + TextFormat.shortDebugString(a) + "}, expected {"
                            + TextFormat.shortDebugString(e) + "}");
                }
            } catch (InvalidProtocolBufferException e) {
                problems.add("line " + (i + 1) + " " + key + " is not a " + prototype.getDescriptorForType().getFullName()
                        + ": " + e.getMessage());
            }
        }
    }

    private static void checkResponse(ConformanceCase c, JsonNode parsed, List<String> problems) {
        if (c.json().has("response") && !c.json().get("response").equals(parsed)) {
            problems.add("response " + parsed + ", expected " + c.json().get("response"));
        }
    }

    private static void checkError(ConformanceCase c, JsonNode parsed, List<String> problems) {
        if (c.json().has("code") && parsed.path("code").asInt(-1) != c.json().get("code").asInt()) {
            problems.add("code " + parsed.path("code") + ", expected " + c.json().get("code"));
        }
        if (c.json().has("field")) {
            String field = c.json().get("field").asText();
            boolean found = false;
            for (JsonNode d : parsed.path("details")) {
                for (JsonNode v : d.path("fieldViolations")) {
                    found |= field.equals(v.path("field").asText());
                }
            }
            if (!found) {
                problems.add("no google.rpc.BadRequest field violation for '" + field + "'");
            }
        }
    }

    private static void checkHeaders(ConformanceCase c, HttpResponse<String> r, List<String> problems) {
        if (!c.json().has("header")) {
            return;
        }
        c.json().get("header").fields().forEachRemaining(h -> {
            String actual = r.headers().firstValue(h.getKey()).orElse(null);
            if (!h.getValue().asText().equals(actual)) {
                problems.add("header " + h.getKey() + ": " + actual + ", expected " + h.getValue().asText());
            }
        });
    }
}
