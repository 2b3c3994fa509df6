package dev.tandem.validation;

import com.google.api.FieldBehavior;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clears the {@code OUTPUT_ONLY} fields of a request, at any depth, per AIP-203: "the server must
 * clear out any value in this field and must not throw an error as a result of the presence of a
 * value in this field on input". E.g. the {@code orders} of the {@code user} of an UpdateUser
 * request are dropped before the service (and protovalidate) see the request.
 *
 * <p>Which fields to clear and which sub-messages may hold such fields is worked out once per
 * message type, from the descriptors; at call time only set fields on those paths are visited, and a
 * request without output-only values is returned as it is (no copy). Map fields are not entered
 * (Tandem's protos have none holding messages with output-only fields).
 */
final class OutputOnlyFields {

    private final Map<Descriptor, Plan> plans = new HashMap<>();

    /** What to do in messages of one type: fields to clear, message fields to descend into. */
    private record Plan(List<FieldDescriptor> clear, List<FieldDescriptor> descend) {
        boolean isEmpty() {
            return clear.isEmpty() && descend.isEmpty();
        }
    }

    /**
     * Works out the plans of a request type and of every message type it contains. Call at
     * start-up, from one thread.
     *
     * @param type a request message type
     * @return whether requests of this type can hold output-only values at all
     */
    boolean prepare(Descriptor type) {
        Set<Descriptor> reachable = new LinkedHashSet<>();
        collect(type, reachable);
        // fixpoint: a type holds output-only values if it has such a field or a message field
        // (singular or repeated) of a type that does; cycles need the repetition
        Set<Descriptor> holding = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Descriptor d : reachable) {
                if (!holding.contains(d) && d.getFields().stream().anyMatch(f ->
                        FieldBehaviors.has(f, FieldBehavior.OUTPUT_ONLY) || isMessage(f) && holding.contains(f.getMessageType()))) {
                    holding.add(d);
                    changed = true;
                }
            }
        }
        for (Descriptor d : reachable) {
            List<FieldDescriptor> clear = new ArrayList<>();
            List<FieldDescriptor> descend = new ArrayList<>();
            for (FieldDescriptor f : d.getFields()) {
                if (FieldBehaviors.has(f, FieldBehavior.OUTPUT_ONLY)) {
                    clear.add(f);
                } else if (isMessage(f) && holding.contains(f.getMessageType())) {
                    descend.add(f);
                }
            }
            plans.put(d, new Plan(List.copyOf(clear), List.copyOf(descend)));
        }
        return holding.contains(type);
    }

    private static void collect(Descriptor type, Set<Descriptor> seen) {
        if (seen.add(type)) {
            type.getFields().stream().filter(OutputOnlyFields::isMessage).forEach(f -> collect(f.getMessageType(), seen));
        }
    }

    /** A singular or repeated message field; map fields are not entered. */
    private static boolean isMessage(FieldDescriptor f) {
        return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField();
    }

    /**
     * @param request a request whose type was {@linkplain #prepare prepared}
     * @return {@code request} without its output-only values; {@code request} itself when it has none
     */
    Message clear(Message request) {
        Plan plan = plans.get(request.getDescriptorForType());
        if (plan == null || plan.isEmpty() || !holdsAny(request, plan)) {
            return request;
        }
        Message.Builder builder = request.toBuilder();
        clear(builder, plan);
        return builder.build();
    }

    private void clear(Message.Builder builder, Plan plan) {
        plan.clear().forEach(builder::clearField);
        for (FieldDescriptor f : plan.descend()) {
            Plan inner = plans.get(f.getMessageType());
            if (f.isRepeated()) {
                for (int i = 0; i < builder.getRepeatedFieldCount(f); i++) {
                    Message element = (Message) builder.getRepeatedField(f, i);
                    if (holdsAny(element, inner)) {
                        Message.Builder b = element.toBuilder();
                        clear(b, inner);
                        builder.setRepeatedField(f, i, b.build());
                    }
                }
            } else if (builder.hasField(f) && holdsAny((Message) builder.getField(f), inner)) {
                Message.Builder b = ((Message) builder.getField(f)).toBuilder();
                clear(b, inner);
                builder.setField(f, b.build());
            }
        }
    }

    /** Whether {@code message} has an output-only value somewhere under it. */
    private boolean holdsAny(Message message, Plan plan) {
        for (FieldDescriptor f : plan.clear()) {
            if (FieldBehaviors.isSet(message, f)) {
                return true;
            }
        }
        for (FieldDescriptor f : plan.descend()) {
            Plan inner = plans.get(f.getMessageType());
            if (f.isRepeated()) {
                for (int i = 0; i < message.getRepeatedFieldCount(f); i++) {
                    if (holdsAny((Message) message.getRepeatedField(f, i), inner)) {
                        return true;
                    }
                }
            } else if (message.hasField(f) && holdsAny((Message) message.getField(f), inner)) {
                return true;
            }
        }
        return false;
    }
}
