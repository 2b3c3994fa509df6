package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of one route, resolved when the route is compiled: every field path of the
 * request message, spelled with proto names ({@code sub.sub_field}) or with JSON names ({@code
 * sub.subField}), maps to its fields and to the route's verdict on it (per {@code
 * google/api/http.proto}: with {@code body: "*"} no parameter is allowed; a parameter may not name
 * the body field, a field the path binds, an ancestor or a descendant of one, nor a message or map
 * field). Paths that revisit a message type on the way (recursive messages) and paths mixing the two
 * spellings are not listed; they are resolved the same way when they are asked for. Immutable and
 * thread-safe.
 */
public final class QueryParameters {

    /** Deepest field path listed ahead of time. */
    private static final int MAX_DEPTH = 8;

    /**
     * What a parameter name means on this route.
     *
     * @param path the field path, or {@code null} when the name is refused
     * @param refusal why the name is refused, or {@code null}
     * @param always whether the refusal holds even when unknown parameters are ignored (a message or
     *     map field); otherwise it is one of the refusals {@link
     *     TranscodingOptions#rejectUnknownQueryParameters()} turns off
     */
    record Parameter(FieldPath path, String refusal, boolean always) {}

    private final Descriptor input;
    private final Route.Body body;
    private final FieldDescriptor bodyField;
    private final FieldPath[] pathFields;
    private final Map<String, Parameter> known;

    private QueryParameters(Descriptor input, Route.Body body, FieldDescriptor bodyField, FieldPath[] pathFields) {
        this.input = input;
        this.body = body;
        this.bodyField = bodyField;
        this.pathFields = pathFields;
        Map<String, Parameter> names = new HashMap<>();
        if (body != Route.Body.ALL) {
            list(input, "", "", new HashSet<>(Set.of(input)), 1, names);
        }
        this.known = Map.copyOf(names);
    }

    /**
     * @param input the request message type
     * @param body what the route's body carries
     * @param bodyField the body field for {@link Route.Body#FIELD}, else {@code null}
     * @param pathFields the fields the path binds
     * @return the route's parameters
     */
    static QueryParameters of(Descriptor input, Route.Body body, FieldDescriptor bodyField, FieldPath[] pathFields) {
        return new QueryParameters(input, body, bodyField, pathFields);
    }

    /**
     * @param name a query parameter name as sent (decoded)
     * @return what it means on this route
     */
    Parameter resolve(String name) {
        Parameter p = known.get(name);
        return p != null ? p : classify(name);
    }

    private void list(Descriptor type, String protoPrefix, String jsonPrefix, Set<Descriptor> onPath, int depth,
            Map<String, Parameter> out) {
        for (FieldDescriptor fd : type.getFields()) {
            String proto = protoPrefix + fd.getName();
            String json = jsonPrefix + fd.getJsonName();
            out.put(proto, classify(proto));
            out.putIfAbsent(json, classify(json));
            if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !fd.isRepeated() && !ScalarValues.isScalar(fd)
                    && depth < MAX_DEPTH && onPath.add(fd.getMessageType())) {
                list(fd.getMessageType(), proto + ".", json + ".", onPath, depth + 1, out);
                onPath.remove(fd.getMessageType());
            }
        }
    }

    private Parameter classify(String name) {
        if (body == Route.Body.ALL) {
            return refused("not allowed: the body carries every field of this request", false);
        }
        FieldPath fp;
        try {
            fp = FieldPath.resolveLenient(input, name);
        } catch (IllegalArgumentException unknown) {
            return refused("unknown query parameter", false);
        }
        if (body == Route.Body.FIELD && fp.root().equals(bodyField)) {
            return refused("bound by the request body", false);
        }
        for (FieldPath bound : pathFields) {
            if (bound.isPrefixOf(fp.key().fields()) || fp.isPrefixOf(bound.key().fields())) {
                return refused("bound by the request path", false);
            }
        }
        FieldDescriptor leaf = fp.leaf();
        if (!ScalarValues.isScalar(leaf) || leaf.isMapField()) {
            return refused("a message field cannot be set from the query; set its subfields", true);
        }
        return new Parameter(fp, null, false);
    }

    private static Parameter refused(String why, boolean always) {
        return new Parameter(null, why, always);
    }
}
