package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Status.Code;
import java.util.List;
import java.util.Map;

/**
 * Builds an RPC's request message from a matched route: body first, then path variables (which
 * win over the body), then query parameters, per {@code google/api/http.proto}.
 *
 * <ul>
 *   <li>{@code body: "*"}: the JSON body fills the message; there are no query parameters.
 *   <li>{@code body: "<field>"}: the JSON body is that field's value; other fields not bound by
 *       the path may come from the query.
 *   <li>no body: every field not bound by the path may come from the query.
 * </ul>
 *
 * <p>A query parameter names a field path by proto or JSON names ({@code sub.subfield}, {@code
 * sub.subField}); it must end at a scalar, an enum or a scalar well-known type (see {@link
 * ScalarValues}); a repeated field takes every value ({@code ?ids=1&ids=2}), a singular one exactly
 * one; one field under two names ({@code ?subField=a&sub_field=b}) and two members of one oneof
 * are refused. A {@code null} body for a body field leaves the field unset. Thread-safe; holds no
 * per-request state.
 */
public final class RequestBinder {

    private final JsonCodec json;
    private final TranscodingOptions options;

    /**
     * @param json the codec for bodies
     * @param options strictness
     */
    public RequestBinder(JsonCodec json, TranscodingOptions options) {
        this.json = json;
        this.options = options;
    }

    /**
     * @param match the matched route and its path values
     * @param query decoded query parameters, each name with its values in order
     * @param body the request body text; {@code null} or empty for none
     * @return the request message, of the route's RPC request type
     * @throws TranscodingException {@code INVALID_ARGUMENT} for a bad body, path value or query
     *     parameter, with a {@code google.rpc.BadRequest} detail naming the field where there is one
     */
    public Message bind(RouteTable.Match match, Map<String, List<String>> query, String body) {
        Route route = match.route();
        Message.Builder builder = route.rpc().requestPrototype().newBuilderForType();
        if (body != null && !body.isBlank() && !(route.body() == Route.Body.FIELD && body.strip().equals("null"))) {
            switch (route.body()) {
                case ALL -> json.merge(body, builder, "body");
                case FIELD -> mergeBodyField(route.bodyField(), body, builder);
                case NONE -> {
                    if (options.rejectBodyWithoutRule()) {
                        throw TranscodingException.of(Code.INVALID_ARGUMENT,
                                route.httpMethod() + " " + route.template() + " takes no request body");
                    }
                }
            }
        }
        FieldPath[] pathFields = route.pathFields();
        String[] values = match.pathValues();
        for (int i = 0; i < pathFields.length; i++) {
            FieldPath fp = pathFields[i];
            ScalarValues.set(fp.leafParent(builder), fp.leaf(), values[i], fp.toString());
        }
        if (!query.isEmpty()) {
            bindQuery(route, query, builder);
        }
        return builder.build();
    }

    private void mergeBodyField(FieldDescriptor field, String body, Message.Builder builder) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
            json.merge(body, builder.getFieldBuilder(field), field.getName());
        } else {
            json.mergeValue(body, builder, field);
        }
    }

    private void bindQuery(Route route, Map<String, List<String>> query, Message.Builder builder) {
        Map<FieldPath.Key, String> seen = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            if (route.body() == Route.Body.ALL) {
                reject(name, "not allowed: the body carries every field of this request");
                continue;
            }
            FieldPath fp;
            try {
                fp = FieldPath.resolveLenient(route.rpc().proto().getInputType(), name);
            } catch (IllegalArgumentException unknown) {
                reject(name, "unknown query parameter");
                continue;
            }
            if (route.body() == Route.Body.FIELD && fp.root().equals(route.bodyField())) {
                reject(name, "bound by the request body");
                continue;
            }
            if (boundByPath(route, fp)) {
                reject(name, "bound by the request path");
                continue;
            }
            FieldDescriptor leaf = fp.leaf();
            if (!ScalarValues.isScalar(leaf) || leaf.isMapField()) {
                throw TranscodingException.invalidArgument(
                        name, "a message field cannot be set from the query; set its subfields");
            }
            List<String> values = e.getValue();
            if (!leaf.isRepeated() && values.size() > 1) {
                throw TranscodingException.invalidArgument(name, "given " + values.size()
                        + " times, but the field is not repeated");
            }
            String earlier = seen.putIfAbsent(fp.key(), name);
            if (earlier != null) {
                throw TranscodingException.invalidArgument(name, "the same field as \"" + earlier + "\"");
            }
            Message.Builder parent = fp.leafParent(builder);
            if (leaf.getRealContainingOneof() != null) {
                FieldDescriptor set = parent.getOneofFieldDescriptor(leaf.getRealContainingOneof());
                if (set != null && !set.equals(leaf)) {
                    throw TranscodingException.invalidArgument(name, "oneof " + leaf.getRealContainingOneof().getName()
                            + " already has " + set.getJsonName() + "; at most one of its fields may be set");
                }
            }
            for (String v : values) {
                ScalarValues.set(parent, leaf, v, name);
            }
        }
    }

    private void reject(String name, String why) {
        if (options.rejectUnknownQueryParameters()) {
            throw TranscodingException.invalidArgument(name, why);
        }
    }

    /** The path binds the parameter's field, an ancestor of it, or a field inside it. */
    private static boolean boundByPath(Route route, FieldPath query) {
        for (FieldPath bound : route.pathFields()) {
            if (bound.isPrefixOf(query.key().fields()) || query.isPrefixOf(bound.key().fields())) {
                return true;
            }
        }
        return false;
    }
}
