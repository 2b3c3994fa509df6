package dev.tandem.validation;

import com.google.api.FieldBehavior;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import java.util.List;

/**
 * The field-behavior rules of an AIP-134 update request: a request with a {@code
 * google.protobuf.FieldMask update_mask} and exactly one other singular message field, the
 * resource (e.g. {@code UpdateUserRequest{User user; FieldMask update_mask}}).
 *
 * <p>With a non-empty mask, each path (AIP-161: relative to the resource, {@code .} through singular
 * message fields; {@code *} means every updatable field and is always accepted) gets a violation on
 * {@code update_mask} when it
 *
 * <ul>
 *   <li>is not a field of the resource ("unknown path");</li>
 *   <li>names an {@code IMMUTABLE} or {@code IDENTIFIER} field (AIP-203: may be set on create, never
 *       changed afterwards; {@code IDENTIFIER} counts as immutable in updates). Simplified on
 *       purpose: AIP-203 lets an update that sets an immutable field to its current value succeed,
 *       which would need the stored resource; naming the field in the mask is always refused;</li>
 *   <li>names an {@code OUTPUT_ONLY} field. AIP-203 asks services to ignore such paths; Tandem refuses
 *       them, as it always has, since dropping the only path of a mask would turn it into "the
 *       populated fields" (AIP-134) and update more than the client named.</li>
 * </ul>
 *
 * Without a mask, AIP-134 updates the fields the request populates: a populated {@code IMMUTABLE}
 * field of the resource would be changed, so it is refused (violation on its own path, e.g. {@code
 * order.user_id}); the {@code IDENTIFIER} names the resource and is exempt. Output-only values have
 * been cleared before (see {@link OutputOnlyFields}).
 */
final class UpdateMaskRule {

    private static final String MASK = "update_mask";

    private final FieldDescriptor resource;
    private final FieldDescriptor mask;

    private UpdateMaskRule(FieldDescriptor resource, FieldDescriptor mask) {
        this.resource = resource;
        this.mask = mask;
    }

    /**
     * @param type a request type
     * @return its rule when it is an update request (see the class comment), else null
     */
    static UpdateMaskRule of(Descriptor type) {
        FieldDescriptor mask = type.findFieldByName(MASK);
        if (mask == null || mask.isRepeated() || mask.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                || !mask.getMessageType().getFullName().equals(FieldMask.getDescriptor().getFullName())) {
            return null;
        }
        List<FieldDescriptor> resources = type.getFields().stream()
                .filter(f -> f != mask && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
                .toList();
        return resources.size() == 1 ? new UpdateMaskRule(resources.get(0), mask) : null;
    }

    /** @return the resource field, e.g. {@code user} */
    FieldDescriptor resource() {
        return resource;
    }

    /**
     * Records the violations of {@code request}.
     *
     * @param request a request of this rule's type, output-only values already cleared
     * @param out receives the violations
     */
    void check(Message request, Violations out) {
        Descriptor type = resource.getMessageType();
        List<String> paths = request.hasField(mask) ? paths((Message) request.getField(mask)) : List.of();
        if (paths.isEmpty()) {
            if (request.hasField(resource)) {
                Message value = (Message) request.getField(resource);
                for (FieldDescriptor f : type.getFields()) {
                    if (FieldBehaviors.has(f, FieldBehavior.IMMUTABLE) && FieldBehaviors.isSet(value, f)) {
                        out.path(List.of(resource.getNumber(), f.getNumber()), resource.getName() + "." + f.getName(),
                                "is immutable and may not be updated (AIP-203)");
                    }
                }
            }
            return;
        }
        for (String path : paths) {
            String problem = problem(type, path);
            if (problem != null) {
                out.path(List.of(mask.getNumber()), MASK, "path \"" + path + "\" " + problem);
            }
        }
    }

    private static List<String> paths(Message mask) {
        return (mask instanceof FieldMask m ? m : FieldMask.newBuilder().mergeFrom(mask).build()).getPathsList();
    }

    /** What is wrong with one mask path, or null. */
    private static String problem(Descriptor type, String path) {
        if (path.equals("*")) {
            return null;
        }
        Descriptor current = type;
        FieldDescriptor field = null;
        for (String segment : path.split("\\.", -1)) {
            if (current == null) {
                return "is not a field of " + type.getFullName(); // traverses a scalar or repeated field
            }
            field = current.findFieldByName(segment);
            if (field == null) {
                return "is not a field of " + type.getFullName();
            }
            if (FieldBehaviors.isImmutable(field)) {
                return "is immutable and may not be updated (AIP-203)";
            }
            if (FieldBehaviors.has(field, FieldBehavior.OUTPUT_ONLY)) {
                return "is output only and may not be updated";
            }
            current = !field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    ? field.getMessageType() : null;
        }
        return null;
    }
}
