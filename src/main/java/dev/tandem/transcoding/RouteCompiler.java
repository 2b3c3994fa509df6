package dev.tandem.transcoding;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.tandem.transcoding.rules.BindingResponse;
import dev.tandem.transcoding.rules.HttpBodyRule;
import dev.tandem.transcoding.rules.HttpResponseProto;
import dev.tandem.transcoding.rules.HttpResponseRule;
import dev.tandem.transcoding.rules.ResponseForm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles the {@code google.api.http} options of RPCs into {@link Route}s, once, at start-up, and
 * refuses any rule that {@code google/api/http.proto} does not allow.
 *
 * <p>Rejected, with an {@link InvalidHttpRuleException} naming the RPC and the rule: a rule without
 * a pattern; an invalid path template; a variable naming an unknown field, a repeated field or a
 * message field (per http.proto a path variable must end at a non-repeated scalar); a body or
 * response_body naming a field the message does not have (both must be top-level fields); a body
 * on GET or DELETE; {@code additional_bindings} inside an additional binding (they may not nest);
 * an HttpRule on a client- or bidi-streaming RPC. Conflicts between rules are found by {@link
 * RouteTable}.
 *
 * <p>Tandem's {@code (tandem.api.http_response)} option ({@code tandem/api/http.proto}) becomes each
 * route's {@link RouteResponse}; rejected: a success status outside 200 to 299, a Location variable
 * that names no singular scalar response field, a binding path that no binding of the RPC has, a
 * {@code JSPB_OBJECT} form whose response type the original contract ({@link JspbContract}) lacks,
 * an error status outside 400 to 599.
 *
 * <p>Which bodies are raw {@code google.api.HttpBody} bytes is decided here, once ({@link HttpBodies});
 * Tandem's {@code (tandem.api.http_body)} option gives their media types. Rejected: the option on an
 * RPC whose binding has neither an HttpBody request body nor an HttpBody response, request media
 * types without an HttpBody request body, a response media type without an HttpBody response, a
 * media type that is not a lower-case {@code type/subtype}.
 */
public final class RouteCompiler {

    private RouteCompiler() {}

    /**
     * @param rpcs the RPCs of the served services; those without an HttpRule get no route
     * @return one route per rule and additional binding, in declaration order
     * @throws InvalidHttpRuleException on the first invalid rule
     */
    public static List<Route> compile(List<RpcMethod> rpcs) {
        return compile(rpcs, JspbContract.NONE);
    }

    /**
     * @param rpcs the RPCs of the served services; those without an HttpRule get no route
     * @param original the original contract, for bindings answered in the {@code JSPB_OBJECT} form
     * @return one route per rule and additional binding, in declaration order
     * @throws InvalidHttpRuleException on the first invalid rule
     */
    public static List<Route> compile(List<RpcMethod> rpcs, JspbContract original) {
        List<Route> routes = new ArrayList<>();
        for (RpcMethod rpc : rpcs) {
            if (!rpc.proto().getOptions().hasExtension(AnnotationsProto.http)) {
                continue;
            }
            HttpRule rule = rpc.proto().getOptions().getExtension(AnnotationsProto.http);
            if (rpc.proto().isClientStreaming()) {
                throw new InvalidHttpRuleException(rpc, describe(rule),
                        "client- and bidi-streaming RPCs cannot be transcoded");
            }
            HttpResponseRule response = rpc.proto().getOptions().getExtension(HttpResponseProto.httpResponse);
            Set<String> paths = new HashSet<>();
            paths.add(path(rule));
            routes.add(compile(rpc, rule, response, original));
            for (HttpRule additional : rule.getAdditionalBindingsList()) {
                if (additional.getAdditionalBindingsCount() > 0) {
                    throw new InvalidHttpRuleException(rpc, describe(additional),
                            "additional_bindings may not nest");
                }
                paths.add(path(additional));
                routes.add(compile(rpc, additional, response, original));
            }
            for (BindingResponse b : response.getBindingsList()) {
                if (!paths.contains(b.getPath())) {
                    throw new InvalidHttpRuleException(rpc, describe(rule), "(tandem.api.http_response) names binding \""
                            + b.getPath() + "\", which no google.api.http binding of the RPC has");
                }
            }
        }
        return routes;
    }

    private static RouteResponse response(RpcMethod rpc, String ruleText, HttpRule rule, HttpResponseRule option,
            JspbContract original) {
        int status = option.getStatus() == 0 ? 200 : option.getStatus();
        if (status < 200 || status > 299) {
            throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_response).status " + status
                    + " is not a success status (200 to 299)");
        }
        LocationTemplate location = null;
        if (!option.getLocation().isEmpty()) {
            try {
                location = LocationTemplate.parse(option.getLocation(), rpc.proto().getOutputType());
            } catch (IllegalArgumentException e) {
                throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_response).location: " + e.getMessage());
            }
        }
        BindingResponse binding = null;
        for (BindingResponse b : option.getBindingsList()) {
            if (b.getPath().equals(path(rule))) {
                binding = b;
            }
        }
        if (binding == null) {
            return status == 200 && location == null ? RouteResponse.DEFAULT
                    : new RouteResponse(status, location, null, 0, null);
        }
        if (!rule.getResponseBody().isEmpty() && binding.getForm() == ResponseForm.JSPB_OBJECT) {
            throw new InvalidHttpRuleException(rpc, ruleText, "the JSPB_OBJECT form writes the whole response;"
                    + " remove response_body");
        }
        Descriptor jspb = null;
        if (binding.getForm() == ResponseForm.JSPB_OBJECT) {
            String name = rpc.proto().getOutputType().getFullName();
            jspb = original.type(name);
            if (jspb == null) {
                throw new InvalidHttpRuleException(rpc, ruleText, "the JSPB_OBJECT form needs " + name
                        + " in the original contract (" + JspbContract.RESOURCE + ")");
            }
        }
        int errorStatus = binding.getErrorStatus();
        if (errorStatus != 0 && (errorStatus < 400 || errorStatus > 599)) {
            throw new InvalidHttpRuleException(rpc, ruleText, "error_status " + errorStatus + " is not 400 to 599");
        }
        return new RouteResponse(status, location, jspb, errorStatus,
                errorStatus == 0 ? null : binding.getErrorMessage());
    }

    private static Route compile(RpcMethod rpc, HttpRule rule, HttpResponseRule option, JspbContract original) {
        String ruleText = describe(rule);
        String method = method(rule);
        if (method == null) {
            throw new InvalidHttpRuleException(rpc, ruleText, "the rule has no HTTP method and path");
        }
        PathTemplate template;
        try {
            template = PathTemplate.parse(path(rule));
        } catch (PathTemplateException e) {
            throw new InvalidHttpRuleException(rpc, ruleText, e.getMessage());
        }
        Descriptor input = rpc.proto().getInputType();
        List<PathTemplate.Variable> vars = template.variables();
        FieldPath[] pathFields = new FieldPath[vars.size()];
        for (int i = 0; i < pathFields.length; i++) {
            pathFields[i] = pathField(rpc, ruleText, input, vars.get(i).fieldPath());
        }

        Route.Body body = Route.Body.NONE;
        FieldDescriptor bodyField = null;
        if (!rule.getBody().isEmpty()) {
            if (method.equals("GET") || method.equals("DELETE")) {
                throw new InvalidHttpRuleException(rpc, ruleText, method + " may not have a body");
            }
            if (rule.getBody().equals("*")) {
                body = Route.Body.ALL;
            } else {
                bodyField = input.findFieldByName(rule.getBody());
                if (bodyField == null) {
                    throw new InvalidHttpRuleException(rpc, ruleText, "body field '" + rule.getBody()
                            + "' is not a top-level field of " + input.getFullName());
                }
                body = Route.Body.FIELD;
            }
        }
        FieldDescriptor responseBody = null;
        if (!rule.getResponseBody().isEmpty()) {
            Descriptor output = rpc.proto().getOutputType();
            responseBody = output.findFieldByName(rule.getResponseBody());
            if (responseBody == null) {
                throw new InvalidHttpRuleException(rpc, ruleText, "response_body field '"
                        + rule.getResponseBody() + "' is not a top-level field of " + output.getFullName());
            }
        }
        return new Route(method, template, pathFields, body, bodyField, responseBody, rpc, ruleText,
                QueryParameters.of(rpc.proto().getInputType(), body, bodyField, pathFields),
                response(rpc, ruleText, rule, option, original),
                httpBodies(rpc, ruleText, body, bodyField, responseBody));
    }

    private static HttpBodies httpBodies(RpcMethod rpc, String ruleText, Route.Body body, FieldDescriptor bodyField,
            FieldDescriptor responseBody) {
        boolean request = HttpBodies.rawRequest(body, bodyField, rpc.proto().getInputType());
        boolean response = responseBody == null && HttpBodies.isHttpBody(rpc.proto().getOutputType());
        boolean declared = rpc.proto().getOptions().hasExtension(HttpResponseProto.httpBody);
        if (!declared) {
            return request || response ? new HttpBodies(request, response, List.of(), null) : HttpBodies.NONE;
        }
        HttpBodyRule option = rpc.proto().getOptions().getExtension(HttpResponseProto.httpBody);
        if (option.getRequestContentTypesCount() > 0 && !request) {
            throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_body).request_content_types needs"
                    + " a google.api.HttpBody request body (body \"*\" on an HttpBody request, or body naming an HttpBody field)");
        }
        if (!option.getResponseContentType().isEmpty() && !response) {
            throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_body).response_content_type needs"
                    + " a google.api.HttpBody response (and no response_body)");
        }
        if (!request && !response) {
            throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_body) on an RPC without an HttpBody");
        }
        for (String media : option.getRequestContentTypesList()) {
            mediaType(rpc, ruleText, media);
        }
        if (!option.getResponseContentType().isEmpty()) {
            mediaType(rpc, ruleText, option.getResponseContentType());
        }
        return new HttpBodies(request, response, List.copyOf(option.getRequestContentTypesList()),
                option.getResponseContentType().isEmpty() ? null : option.getResponseContentType());
    }

    /** RFC 9110 section 8.3.1: {@code type "/" subtype}, both tokens; lower case here so that a match is equality. */
    private static void mediaType(RpcMethod rpc, String ruleText, String media) {
        if (!media.matches("[a-z0-9!#$%&'*+.^_`|~-]+/[a-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new InvalidHttpRuleException(rpc, ruleText, "(tandem.api.http_body) media type \"" + media
                    + "\" is not a lower-case type/subtype without parameters");
        }
    }

    private static FieldPath pathField(RpcMethod rpc, String ruleText, Descriptor input, String path) {
        FieldPath fp;
        try {
            fp = FieldPath.resolve(input, path);
        } catch (IllegalArgumentException e) {
            throw new InvalidHttpRuleException(rpc, ruleText, "path variable {" + path + "}: " + e.getMessage());
        }
        FieldDescriptor leaf = fp.leaf();
        if (leaf.isRepeated()) {
            throw new InvalidHttpRuleException(rpc, ruleText,
                    "path variable {" + path + "} names a repeated field; http.proto allows only singular ones");
        }
        if (leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            throw new InvalidHttpRuleException(rpc, ruleText,
                    "path variable {" + path + "} names a message field; http.proto allows only scalars");
        }
        return fp;
    }

    private static String method(HttpRule rule) {
        return switch (rule.getPatternCase()) {
            case GET -> "GET";
            case PUT -> "PUT";
            case POST -> "POST";
            case DELETE -> "DELETE";
            case PATCH -> "PATCH";
            case CUSTOM -> rule.getCustom().getKind().isEmpty()
                    ? null
                    : rule.getCustom().getKind().toUpperCase(Locale.ROOT);
            case PATTERN_NOT_SET -> null;
        };
    }

    private static String path(HttpRule rule) {
        return switch (rule.getPatternCase()) {
            case GET -> rule.getGet();
            case PUT -> rule.getPut();
            case POST -> rule.getPost();
            case DELETE -> rule.getDelete();
            case PATCH -> rule.getPatch();
            case CUSTOM -> rule.getCustom().getPath();
            case PATTERN_NOT_SET -> "";
        };
    }

    /**
     * @param rule an HttpRule
     * @return e.g. {@code PATCH /v1/users/{user.id} body "user"}
     */
    static String describe(HttpRule rule) {
        String m = method(rule);
        StringBuilder sb = new StringBuilder(m == null ? "(no method)" : m).append(' ').append(path(rule));
        if (!rule.getBody().isEmpty()) {
            sb.append(" body \"").append(rule.getBody()).append('"');
        }
        if (!rule.getResponseBody().isEmpty()) {
            sb.append(" response_body \"").append(rule.getResponseBody()).append('"');
        }
        return sb.toString();
    }
}
