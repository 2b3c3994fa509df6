package dev.tandem.transcoding.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks real HTTP exchanges against the server's own OpenAPI document: the request body of an
 * accepted call against the operation's {@code requestBody} schema, and every response body
 * against the schema of its status ({@code 200}, else {@code default}), with networknt's JSON
 * Schema validator (draft 2020-12, OpenAPI 3.1's dialect). NDJSON stream lines are checked one by
 * one; a body in another media type (a {@code google.api.HttpBody}) only for its media type being
 * documented. Exchanges on paths the document does not describe are not checked.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<URI, OpenApiContract> BY_SERVER = new ConcurrentHashMap<>();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private record Operation(Pattern path, String method, JsonNode node) {}

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        for (Iterator<Map.Entry<String, JsonNode>> it = document.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Pattern regex = Pattern.compile(toRegex(path.getKey()));
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    operations.add(new Operation(regex, op.getKey(), op.getValue()));
                }
            });
        }
    }

    /**
     * The contract of a running server, fetched once from its {@code /q/openapi}.
     *
     * @param server e.g. {@code http://localhost:8081}
     * @return the contract
     */
    public static OpenApiContract of(URI server) {
        return BY_SERVER.computeIfAbsent(server, s -> new OpenApiContract(fetch(s)));
    }

    /** @return the document, as JSON */
    public JsonNode document() {
        return document;
    }

    /**
     * @param method HTTP method
     * @param rawPath the request path, without the query
     * @param requestBody the JSON sent, or {@code null}
     * @param status the HTTP status received
     * @param contentType the response's media type, or {@code null}
     * @param responseBody the body received
     * @return what does not match the document; empty when all matches or the path is undocumented
     */
    public List<String> check(String method, String rawPath, String requestBody, int status, String contentType,
            String responseBody) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        Operation op = operations.stream()
                .filter(o -> o.method().equals(m) && o.path().matcher(rawPath).matches())
                .findFirst().orElse(null);
        List<String> problems = new ArrayList<>();
        if (op == null) {
            return problems;
        }
        String where = method + " " + rawPath + ": ";
        if (status >= 200 && status < 300 && requestBody != null && !requestBody.isBlank()
                && op.node().at("/requestBody/content").has("application/json")) { // an HttpBody is not JSON
            validate(op.node().at("/requestBody/content/application~1json/schema"), requestBody, where + "request body", problems);
        }
        if (responseBody == null || responseBody.isEmpty()) {
            return problems;
        }
        JsonNode response = op.node().path("responses").has(Integer.toString(status))
                ? op.node().path("responses").get(Integer.toString(status))
                : op.node().path("responses").get("default");
        if (response == null) {
            problems.add(where + "status " + status + " is not documented");
            return problems;
        }
        if (response.has("$ref")) {
            response = document.at(response.get("$ref").asText().substring(1));
        }
        String media = contentType == null ? "application/json" : contentType.split(";")[0].trim();
        JsonNode content = response.path("content").get(media);
        if (content == null) {
            problems.add(where + "media type " + media + " of status " + status + " is not documented");
            return problems;
        }
        if (media.equals("text/event-stream")) {
            return problems;
        }
        if (!media.equals("application/json") && !media.equals("application/x-ndjson")) {
            return problems; // a google.api.HttpBody's bytes: its media type is documented, its schema a string
        }
        if (media.equals("application/x-ndjson")) {
            for (String line : responseBody.split("\n")) {
                validate(content.get("schema"), line, where + "stream line", problems);
            }
        } else {
            validate(content.get("schema"), responseBody, where + "status " + status, problems);
        }
        return problems;
    }

    private void validate(JsonNode schema, String json, String what, List<String> problems) {
        JsonNode value;
        try {
            value = JSON.readTree(json);
        } catch (IOException e) {
            problems.add(what + ": not JSON: " + e.getMessage());
            return;
        }
        JsonSchema compiled = schemas.computeIfAbsent(schema.toString(), key -> compile(schema));
        Set<ValidationMessage> errors = compiled.validate(value);
        if (!errors.isEmpty()) {
            problems.add(what + " " + json + " violates " + schema + ": " + errors);
        }
    }

    /** A schema that can resolve the document's {@code #/components/...} references. */
    private JsonSchema compile(JsonNode schema) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.get("components"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
    }

    private static String toRegex(String openApiPath) {
        StringBuilder sb = new StringBuilder();
        for (String part : openApiPath.split("(?=\\{)|(?<=})")) {
            sb.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return sb.toString();
    }

    private static JsonNode fetch(URI server) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.resolve("/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
