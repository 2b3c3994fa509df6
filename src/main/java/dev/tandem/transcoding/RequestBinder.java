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
 * are refused. A {@code null} body for a body field leaves the field unset. Parameter names are
 * resolved to fields when the route is compiled ({@link QueryParameters}); per request they are only
 * looked up. Thread-safe; holds no per-request state.
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
        if (body != null && !body.isBlank()) {
            switch (route.body()) {
                case ALL -> json.merge(body, builder, "body");
                case FIELD -> json.mergeField(body, builder, route.bodyField());
                case NONE -> {
                    if (options.rejectBodyWithoutRule()) {
                        throw TranscodingException.of(Code.INVALID_ARGUMENT,
                                route.httpMethod() + " " + route.template() + " takes no request body");
                    }
                }
            }
        }
        return bindPathAndQuery(match, query, builder);
    }

    /**
     * Binds a route whose request body is a {@code google.api.HttpBody} ({@link Route#httpBody()}
     * {@code .request()}): the bytes go into its {@code data} and the content type into its {@code
     * content_type}, unparsed, then path variables and (for {@code body: "<field>"}) query
     * parameters bind the other fields as {@link #bind} does. google/api/httpbody.proto; grpc-gateway
     * and Envoy's transcoder do the same.
     *
     * @param match the matched route, whose {@code httpBody().request()} is true
     * @param query decoded query parameters
     * @param data the request body's bytes (inflated if it was gzipped); empty for none
     * @param contentType the request's {@code Content-Type} as sent, or {@code null} (then {@code
     *     content_type} stays empty)
     * @return the request message
     * @throws TranscodingException {@code INVALID_ARGUMENT} for a bad path value or query parameter
     * @throws IllegalArgumentException when the route's body is not an HttpBody
     */
    public Message bindHttpBody(RouteTable.Match match, Map<String, List<String>> query, byte[] data, String contentType) {
        Route route = match.route();
        if (!route.httpBody().request()) {
            throw new IllegalArgumentException(route + " has no google.api.HttpBody request body");
        }
        Message.Builder builder = route.rpc().requestPrototype().newBuilderForType();
        Message.Builder target = route.body() == Route.Body.ALL ? builder : builder.getFieldBuilder(route.bodyField());
        com.google.protobuf.Descriptors.Descriptor type = target.getDescriptorForType();
        // google.api.HttpBody: content_type = 1, data = 2 (by number, as the wire knows them)
        if (contentType != null) {
            target.setField(type.findFieldByNumber(com.google.api.HttpBody.CONTENT_TYPE_FIELD_NUMBER), contentType);
        }
        target.setField(type.findFieldByNumber(com.google.api.HttpBody.DATA_FIELD_NUMBER),
                com.google.protobuf.ByteString.copyFrom(data));
        return bindPathAndQuery(match, query, builder);
    }

    private Message bindPathAndQuery(RouteTable.Match match, Map<String, List<String>> query, Message.Builder builder) {
        Route route = match.route();
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

    private void bindQuery(Route route, Map<String, List<String>> query, Message.Builder builder) {
        Map<FieldPath.Key, String> seen = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            QueryParameters.Parameter parameter = route.query().resolve(name);
            if (parameter.refusal() != null) {
                if (parameter.always()) {
                    throw TranscodingException.invalidArgument(name, parameter.refusal());
                }
                reject(name, parameter.refusal());
                continue;
            }
            FieldPath fp = parameter.path();
            FieldDescriptor leaf = fp.leaf();
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
}
