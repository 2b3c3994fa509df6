package dev.tandem.transcoding.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.tandem.transcoding.FieldPath;
import dev.tandem.transcoding.PathTemplate;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.RouteResponse;
import dev.tandem.transcoding.ScalarValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the OpenAPI 3.1 document of a set of transcoded {@link Route}s: the routes the router
 * serves, and nothing else, with the JSON the server reads and writes.
 *
 * <ul>
 *   <li>One operation per route (additional bindings included); {@code operationId} is {@code
 *       <Service>_<Rpc>}, with {@code _2}, {@code _3}... for further bindings of the same RPC; one
 *       tag per service (its full proto name); summaries and descriptions from the proto comments.
 *   <li>Path parameters: {@code {var}} as is; a multi-segment variable such as {@code
 *       {name=shelves/*}} is spelled out, {@code shelves/{name_1}}, since an OpenAPI path parameter
 *       is one segment. Operations whose paths differ only in parameter names share one path item
 *       (OpenAPI forbids two), under the names of its first GET route, else its first route.
 *   <li>Query parameters: per {@code google/api/http.proto}, every scalar field (nested ones as
 *       {@code a.b}) not bound by the path or body, unless the body is {@code "*"}.
 *   <li>Request body: the request message ({@code body: "*"}), less the top-level fields the path
 *       binds, or the body field; a {@code google.api.HttpBody} body as a string in each media type of
 *       {@code (tandem.api.http_body).request_content_types} (else {@code *}{@code /*}).
 *   <li>Responses: 200, or the status {@code (tandem.api.http_response)} declares (with its {@code
 *       Location} header), with the response (or its {@code response_body} field; for a {@code
 *       JSPB_OBJECT} binding an object described in words); for server
 *       streaming, {@code application/x-ndjson} lines and {@code text/event-stream}; {@code
 *       default}, every error, as {@code google.rpc.Status}. A {@code google.api.HttpBody} response
 *       (unary or streaming) as a string in {@code (tandem.api.http_body).response_content_type} (else
 *       {@code application/octet-stream}).
 * </ul>
 */
public final class OpenApiGenerator {

    /** How deep query parameters reach into nested messages ({@code a.b.c} is depth 3). */
    static final int MAX_QUERY_DEPTH = 3;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ProtoComments comments;
    private final JsonSchemas schemas;
    private final Map<String, List<String>> namesByShape = new HashMap<>();
    private final Map<String, String> pathByShape = new HashMap<>();

    private OpenApiGenerator(ProtoComments comments) {
        this.comments = comments;
        this.schemas = new JsonSchemas(comments);
    }

    /**
     * @param routes the routes, in route-table order
     * @param comments proto comments for descriptions, or {@link ProtoComments#NONE}
     * @param title {@code info.title}
     * @param version {@code info.version}
     * @return the document, {@code openapi: 3.1.0}
     */
    public static ObjectNode generate(List<Route> routes, ProtoComments comments, String title, String version) {
        return new OpenApiGenerator(comments).document(routes, title, version);
    }

    /**
     * The OpenAPI path of a route's template, with the parameter names of its own variables (not
     * shared with other routes): {@code /v1/users/{user.id}}, {@code /v1/shelves/{name_1}:publish}.
     *
     * @param template a compiled template
     * @return the OpenAPI path
     */
    public static String path(PathTemplate template) {
        return String.join("", pathSegments(template));
    }

    private ObjectNode document(List<Route> routes, String title, String version) {
        ObjectNode doc = JSON.objectNode().put("openapi", "3.1.0");
        doc.putObject("info").put("title", title).put("version", version);
        ArrayNode tags = doc.putArray("tags");
        ObjectNode paths = doc.putObject("paths");
        Set<String> tagged = new HashSet<>();
        Map<String, Integer> bindings = new HashMap<>();
        // A path item shared by several operations takes its parameter names from a GET if any.
        routes.stream().filter(r -> r.httpMethod().equals("GET")).forEach(r -> canonicalPath(r.template()));
        for (Route route : routes) {
            ServiceDescriptor service = route.rpc().proto().getService();
            if (tagged.add(service.getFullName())) {
                ObjectNode tag = tags.addObject().put("name", service.getFullName());
                putIfPresent(tag, "description", comments.of(service));
            }
            int n = bindings.merge(route.rpc().fullName(), 1, Integer::sum);
            String path = canonicalPath(route.template());
            ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
            item.set(route.httpMethod().toLowerCase(Locale.ROOT), operation(route, n));
        }
        ObjectNode status = schemas.message(com.google.rpc.Status.getDescriptor());
        doc.putObject("components").set("schemas", JSON.objectNode().setAll(schemas.components()));
        doc.withObject("/components").putObject("responses").set("Status", errorResponse(status));
        return doc;
    }

    private ObjectNode operation(Route route, int binding) {
        ObjectNode op = JSON.objectNode();
        ServiceDescriptor service = route.rpc().proto().getService();
        op.putArray("tags").add(service.getFullName());
        op.put("operationId", service.getName() + "_" + route.rpc().proto().getName() + (binding > 1 ? "_" + binding : ""));
        String doc = comments.of(route.rpc().proto());
        String summary = doc.isEmpty() ? route.rpc().proto().getName() : firstSentence(doc);
        op.put("summary", summary);
        op.put("description", (doc.isEmpty() ? "" : doc + "\n\n") + "RPC `" + route.rpc().grpc().getFullMethodName()
                + "`, rule `" + route.rule() + "`.");
        ArrayNode parameters = op.putArray("parameters");
        pathParameters(route, parameters);
        if (route.body() != Route.Body.ALL) {
            queryParameters(route, route.rpc().proto().getInputType(), "", new ArrayList<>(), 1, parameters);
        }
        if (parameters.isEmpty()) {
            op.remove("parameters");
        }
        if (route.httpBody().request()) {
            ObjectNode content = op.putObject("requestBody").put("required", false).putObject("content");
            List<String> types = route.httpBody().requestMediaTypes().isEmpty()
                    ? List.of("*/*") : route.httpBody().requestMediaTypes();
            for (String media : types) {
                content.putObject(media).set("schema", rawSchema("The request body as it is (google.api.HttpBody)"));
            }
        } else if (route.body() != Route.Body.NONE) {
            ObjectNode schema = route.body() == Route.Body.ALL ? bodyStar(route) : schemas.field(route.bodyField());
            op.putObject("requestBody").put("required", false)
                    .putObject("content").putObject("application/json").set("schema", schema);
        }
        ObjectNode responses = op.putObject("responses");
        RouteResponse declared = route.response();
        ObjectNode ok = responses.putObject(String.valueOf(declared.successStatus()))
                .put("description", declared.successStatus() == 201 ? "Created" : "OK");
        if (declared.location() != null) {
            ok.putObject("headers").putObject("Location")
                    .put("description", "Where the resource is: `" + declared.location() + "` filled from the response")
                    .putObject("schema").put("type", "string");
        }
        ObjectNode item;
        if (declared.jspbType() != null) {
            item = JSON.objectNode().put("type", "object").put("description", "`" + declared.jspbType().getFullName()
                    + "` of the original contract as google-protobuf's `toObject()` writes it: lowerCamelCase names,"
                    + " repeated fields as `<name>List`, every scalar with its default, timestamps as"
                    + " {seconds, nanos}, enums as numbers.");
        } else {
            item = route.responseBodyField() != null
                    ? schemas.field(route.responseBodyField())
                    : schemas.message(route.rpc().proto().getOutputType());
        }
        if (route.httpBody().response()) {
            String media = route.httpBody().responseMediaType() != null
                    ? route.httpBody().responseMediaType() : dev.tandem.transcoding.HttpBodies.OCTET_STREAM;
            if (route.rpc().proto().isServerStreaming()) {
                ok.put("description", "The bytes of the stream's google.api.HttpBody messages, one after another,"
                        + " as they are produced; a failure after the first resets the response.");
            }
            ok.putObject("content").putObject(media).set("schema", rawSchema("The response's google.api.HttpBody data"));
        } else if (route.rpc().proto().isServerStreaming()) {
            ok.put("description", "A stream: one JSON line per message, {\"result\": ...}, and a last"
                    + " {\"error\": google.rpc.Status} line if the RPC fails after the first message; or, with"
                    + " Accept: text/event-stream, one event per message and an `error` event.");
            ObjectNode line = JSON.objectNode().put("type", "object");
            line.putObject("properties").set("result", item);
            line.withObject("/properties").set("error", schemas.message(com.google.rpc.Status.getDescriptor()));
            ObjectNode content = ok.putObject("content");
            content.putObject("application/x-ndjson").set("schema", line);
            content.putObject("text/event-stream").putObject("schema").put("type", "string")
                    .put("description", "Server-Sent Events; each `data:` is one message as JSON");
        } else {
            ok.putObject("content").putObject("application/json").set("schema", item);
        }
        if (declared.hasErrorOverride()) {
            ObjectNode error = JSON.objectNode().put("type", "object");
            error.putObject("properties").putObject("error").put("type", "string").put("const", declared.errorMessage());
            error.putArray("required").add("error");
            responses.putObject(String.valueOf(declared.errorStatus()))
                    .put("description", "Every failure, as the original REST gateway answered it")
                    .putObject("content").putObject("application/json").set("schema", error);
        } else {
            responses.putObject("default").put("$ref", "#/components/responses/Status");
        }
        return op;
    }

    /** The schema of raw bytes in a media type other than JSON (OpenAPI 3.1 section 4.8.14.3: a string). */
    private static ObjectNode rawSchema(String description) {
        return JSON.objectNode().put("type", "string").put("description", description);
    }

    /** The request message, less the top-level fields the path binds (they are not read from the body). */
    private ObjectNode bodyStar(Route route) {
        Set<FieldDescriptor> bound = new HashSet<>();
        for (FieldPath p : route.pathFields()) {
            if (p.length() == 1) {
                bound.add(p.root());
            }
        }
        Descriptor input = route.rpc().proto().getInputType();
        return bound.isEmpty() ? schemas.message(input) : schemas.messageWithout(input, bound);
    }

    private void pathParameters(Route route, ArrayNode parameters) {
        List<String> canonical = namesByShape.get(shape(route.template()));
        List<PathTemplate.Variable> vars = route.template().variables();
        List<String> own = parameterNames(route.template());
        int next = 0;
        for (int v = 0; v < vars.size(); v++) {
            PathTemplate.Variable var = vars.get(v);
            FieldPath field = route.pathFields()[v];
            boolean simple = var.end() - var.start() == 1
                    && route.template().segments().get(var.start()).kind() == PathTemplate.Kind.SINGLE;
            if (simple) {
                ObjectNode p = parameters.addObject().put("name", canonical.get(next++)).put("in", "path").put("required", true);
                ObjectNode schema = schemas.single(field.leaf());
                p.set("schema", schema);
                String doc = comments.of(field.leaf());
                p.put("description", (doc.isEmpty() ? "" : doc + " ") + "Binds `" + var.fieldPath() + "`.");
                continue;
            }
            int k = 0;
            for (int s = var.start(); s < var.end(); s++) {
                PathTemplate.Segment seg = route.template().segments().get(s);
                if (seg.kind() == PathTemplate.Kind.LITERAL) {
                    continue;
                }
                k++;
                ObjectNode p = parameters.addObject().put("name", canonical.get(next++)).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
                p.put("description", "Segment " + k + (seg.kind() == PathTemplate.Kind.MULTI ? " (and any after it)" : "")
                        + " of `" + var.fieldPath() + "`, which binds the whole matched path `"
                        + route.template().text() + "` spells.");
            }
        }
        while (next < own.size()) { // bare * and ** outside variables bind nothing
            parameters.addObject().put("name", canonical.get(next++)).put("in", "path").put("required", true)
                    .put("description", "Matched but not bound to a field.").putObject("schema").put("type", "string");
        }
    }

    private void queryParameters(Route route, Descriptor type, String prefix, List<FieldDescriptor> path,
            int depth, ArrayNode parameters) {
        for (FieldDescriptor f : type.getFields()) {
            List<FieldDescriptor> here = new ArrayList<>(path);
            here.add(f);
            if (boundElsewhere(route, here)) {
                continue;
            }
            String name = prefix + f.getJsonName();
            if (ScalarValues.isScalar(f) && !f.isMapField()) {
                ObjectNode p = parameters.addObject().put("name", name).put("in", "query");
                ObjectNode schema = schemas.field(f);
                if (schema.has("description")) {
                    p.put("description", schema.remove("description").asText());
                }
                schema.remove("readOnly");
                p.set("schema", schema);
                if (f.isRepeated()) {
                    p.put("style", "form").put("explode", true);
                }
            } else if (!f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && depth < MAX_QUERY_DEPTH && !onPath(path, f.getMessageType())) {
                queryParameters(route, f.getMessageType(), name + ".", here, depth + 1, parameters);
            }
        }
    }

    private static boolean onPath(List<FieldDescriptor> path, Descriptor type) {
        for (FieldDescriptor f : path) {
            if (f.getContainingType().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean boundElsewhere(Route route, List<FieldDescriptor> fields) {
        if (route.body() == Route.Body.FIELD && fields.get(0).equals(route.bodyField())) {
            return true;
        }
        for (FieldPath bound : route.pathFields()) {
            if (bound.isPrefixOf(fields)) {
                return true;
            }
        }
        return false;
    }

    private String canonicalPath(PathTemplate template) {
        String shape = shape(template);
        namesByShape.putIfAbsent(shape, parameterNames(template));
        return pathByShape.computeIfAbsent(shape, s -> path(template));
    }

    private static String shape(PathTemplate template) {
        return path(template).replaceAll("\\{[^}]*}", "{}");
    }

    private static List<String> parameterNames(PathTemplate template) {
        List<String> names = new ArrayList<>();
        for (String s : pathSegments(template)) {
            int open = s.indexOf('{');
            if (open >= 0) {
                names.add(s.substring(open + 1, s.indexOf('}')));
            }
        }
        return names;
    }

    private static List<String> pathSegments(PathTemplate template) {
        List<PathTemplate.Segment> segments = template.segments();
        Map<Integer, PathTemplate.Variable> starts = new LinkedHashMap<>();
        for (PathTemplate.Variable v : template.variables()) {
            starts.put(v.start(), v);
        }
        List<String> out = new ArrayList<>();
        int wildcards = 0;
        for (int i = 0; i < segments.size(); ) {
            PathTemplate.Variable v = starts.get(i);
            if (v != null && v.end() - v.start() == 1 && segments.get(i).kind() == PathTemplate.Kind.SINGLE) {
                out.add("/{" + v.fieldPath() + "}");
                i++;
            } else if (v != null) {
                int k = 0;
                for (int s = v.start(); s < v.end(); s++) {
                    PathTemplate.Segment seg = segments.get(s);
                    out.add(seg.kind() == PathTemplate.Kind.LITERAL ? "/" + seg.literal() : "/{" + v.fieldPath() + "_" + ++k + "}");
                }
                i = v.end();
            } else {
                PathTemplate.Segment seg = segments.get(i);
                out.add(seg.kind() == PathTemplate.Kind.LITERAL ? "/" + seg.literal() : "/{_wildcard" + ++wildcards + "}");
                i++;
            }
        }
        if (template.verb() != null) {
            out.set(out.size() - 1, out.get(out.size() - 1) + ":" + template.verb());
        }
        return out;
    }

    private static ObjectNode errorResponse(ObjectNode statusSchema) {
        ObjectNode r = JSON.objectNode().put("description",
                "An error: the google.rpc.Status of the failed call, with the HTTP status of its code"
                        + " (google/rpc/code.proto), e.g. INVALID_ARGUMENT 400, NOT_FOUND 404, ALREADY_EXISTS 409.");
        r.putObject("content").putObject("application/json").set("schema", statusSchema);
        return r;
    }

    private static String firstSentence(String doc) {
        String line = doc.split("\n", 2)[0];
        int dot = line.indexOf(". ");
        return dot > 0 ? line.substring(0, dot + 1) : line;
    }

    private static void putIfPresent(ObjectNode node, String key, String value) {
        if (!value.isEmpty()) {
            node.put(key, value);
        }
    }
}
