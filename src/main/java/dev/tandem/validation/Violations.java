package dev.tandem.validation;

import com.google.rpc.BadRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The field violations of one request, collected from protovalidate and from the {@code
 * google.api.field_behavior} rules, turned into one {@code google.rpc.BadRequest} (AIP-193).
 *
 * <p>Shape of the result: one {@code FieldViolation} per field whose value breaks a rule, its
 * description being every broken rule of that field joined by {@code "; "} (protovalidate reports
 * each rule on its own, e.g. both {@code max_len} and {@code email} for an overlong address); a
 * missing {@code REQUIRED} field gets the single description {@value #REQUIRED} instead, since the
 * value rules only restate it. Problems of one update-mask path each get their own violation on
 * field {@code update_mask}. Violations are ordered by the field numbers of their paths (so by
 * declaration order, the order in which the old hand-written checks reported them), stably. Field
 * paths are proto names relative to the request, e.g. {@code user.email}.
 *
 * <p>Not thread-safe; one instance per request.
 */
final class Violations {

    /** The description of a missing {@code REQUIRED} field. */
    static final String REQUIRED = "is required";

    private final List<Entry> entries = new ArrayList<>();

    /**
     * Records that a value breaks a rule; merged with the other value violations of the same field.
     *
     * @param numbers field numbers of the path, from the request down
     * @param field proto path, e.g. {@code user.email}
     * @param description what the value must satisfy, e.g. {@code "must be greater than 0"}
     */
    void value(List<Integer> numbers, String field, String description) {
        for (Entry e : entries) {
            if (e.kind != Kind.PATH && e.field.equals(field)) {
                if (e.kind == Kind.VALUE) {
                    e.descriptions.add(description);
                }
                return;
            }
        }
        entries.add(new Entry(Kind.VALUE, numbers, field, description));
    }

    /**
     * Records a missing {@code REQUIRED} field; replaces the value violations of that field.
     *
     * @param numbers field numbers of the path
     * @param field proto path
     */
    void required(List<Integer> numbers, String field) {
        entries.removeIf(e -> e.kind == Kind.VALUE && e.field.equals(field));
        entries.add(new Entry(Kind.REQUIRED, numbers, field, REQUIRED));
    }

    /**
     * Records one problem of one update-mask path (never merged with another).
     *
     * @param numbers field numbers of the mask field
     * @param field the mask field's proto path, e.g. {@code update_mask}
     * @param description what is wrong with the path, naming it
     */
    void path(List<Integer> numbers, String field, String description) {
        entries.add(new Entry(Kind.PATH, numbers, field, description));
    }

    /** @return whether nothing was recorded */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** @return the violations as a {@code google.rpc.BadRequest}, in field-number order */
    BadRequest toBadRequest() {
        BadRequest.Builder out = BadRequest.newBuilder();
        entries.stream().sorted(Comparator.comparing(e -> e.numbers, Violations::compare)).forEach(e ->
                out.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(e.field)
                        .setDescription(String.join("; ", e.descriptions))));
        return out.build();
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private enum Kind { VALUE, REQUIRED, PATH }

    private static final class Entry {
        final Kind kind;
        final List<Integer> numbers;
        final String field;
        final Set<String> descriptions = new LinkedHashSet<>();

        Entry(Kind kind, List<Integer> numbers, String field, String description) {
            this.kind = kind;
            this.numbers = List.copyOf(numbers);
            this.field = field;
            this.descriptions.add(description);
        }
    }
}
