package dev.tandem.validation;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;

/**
 * Reading {@code google.api.field_behavior} (AIP-203) off a field descriptor, and AIP-203's notion
 * of a field being "set".
 */
final class FieldBehaviors {

    private FieldBehaviors() {
    }

    /**
     * @param field any field
     * @param behavior e.g. {@link FieldBehavior#REQUIRED}
     * @return whether the field is annotated with {@code behavior}
     */
    static boolean has(FieldDescriptor field, FieldBehavior behavior) {
        List<FieldBehavior> behaviors = field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior);
        return behaviors.contains(behavior);
    }

    /**
     * Whether a field cannot be changed once the resource exists: {@code IMMUTABLE}, or {@code
     * IDENTIFIER}, which AIP-203 treats as immutable in update methods.
     *
     * @param field a field of a resource message
     * @return whether an update may not change it
     */
    static boolean isImmutable(FieldDescriptor field) {
        return has(field, FieldBehavior.IMMUTABLE) || has(field, FieldBehavior.IDENTIFIER);
    }

    /**
     * AIP-203's "set": a repeated or map field with at least one element, a message (or any field
     * with explicit presence) that is present, a proto3 scalar whose value is not its default (0,
     * {@code ""}, {@code false}, the first enum value).
     *
     * @param message a message
     * @param field one of its fields
     * @return whether {@code field} is set in {@code message}
     */
    static boolean isSet(Message message, FieldDescriptor field) {
        return field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
    }
}
