package dev.tandem.validation;

import com.google.api.FieldBehavior;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code REQUIRED} rule of AIP-203 for one request type: every field annotated {@code
 * (google.api.field_behavior) = REQUIRED} must be {@linkplain FieldBehaviors#isSet set}, else a
 * violation {@value Violations#REQUIRED} on its path. Checked on the request's own fields and, where
 * present, on those of its singular message fields, at any depth (AIP-203: a required field inside an
 * optional message is required only when that message is given).
 *
 * <p>Not entered: the resource of an update request (AIP-134 sends only what changes, so a field of
 * the resource that is required on create may be absent), repeated and map fields. Which fields to
 * check is worked out once, from the descriptors.
 */
final class RequiredFields {

    private final List<FieldDescriptor> required;
    private final List<Nested> nested;

    private record Nested(FieldDescriptor field, RequiredFields rules) {}

    private RequiredFields(List<FieldDescriptor> required, List<Nested> nested) {
        this.required = required;
        this.nested = nested;
    }

    /**
     * @param type a request type
     * @param skip a field of {@code type} not to enter (the resource of an update request), or null
     * @return its rule, or null when neither it nor a message under it has a {@code REQUIRED} field
     */
    static RequiredFields of(Descriptor type, FieldDescriptor skip) {
        return of(type, skip, new ArrayList<>());
    }

    private static RequiredFields of(Descriptor type, FieldDescriptor skip, List<Descriptor> enclosing) {
        if (enclosing.contains(type)) {
            return null; // a type inside itself: its rules are already checked one level up
        }
        enclosing.add(type);
        List<FieldDescriptor> required = new ArrayList<>();
        List<Nested> nested = new ArrayList<>();
        for (FieldDescriptor f : type.getFields()) {
            if (FieldBehaviors.has(f, FieldBehavior.REQUIRED)) {
                required.add(f);
            }
            if (f != skip && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                RequiredFields inner = of(f.getMessageType(), null, enclosing);
                if (inner != null) {
                    nested.add(new Nested(f, inner));
                }
            }
        }
        enclosing.remove(enclosing.size() - 1);
        return required.isEmpty() && nested.isEmpty() ? null : new RequiredFields(List.copyOf(required), List.copyOf(nested));
    }

    /**
     * Records a violation for every required field that is not set.
     *
     * @param message a message of this rule's type
     * @param path the proto path of {@code message} with a trailing dot, {@code ""} for the request
     * @param numbers the field numbers of that path
     * @param out receives the violations
     */
    void check(Message message, String path, List<Integer> numbers, Violations out) {
        for (FieldDescriptor f : required) {
            if (!FieldBehaviors.isSet(message, f)) {
                out.required(append(numbers, f.getNumber()), path + f.getName());
            }
        }
        for (Nested n : nested) {
            if (message.hasField(n.field())) {
                n.rules().check((Message) message.getField(n.field()), path + n.field().getName() + ".",
                        append(numbers, n.field().getNumber()), out);
            }
        }
    }

    private static List<Integer> append(List<Integer> numbers, int number) {
        List<Integer> out = new ArrayList<>(numbers);
        out.add(number);
        return out;
    }
}
