package dev.tandem.validation;

import build.buf.validate.FieldPathElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns protovalidate's violations ({@code buf.validate.Violation}) into {@link Violations}: the
 * field path in proto names joined by {@code .}, with {@code [index]} or {@code [key]} for
 * elements of repeated and map fields (e.g. {@code user.email}, {@code items[2].name}); the
 * description is the rule's message without protovalidate's leading {@code "value "} ({@code "value
 * must be greater than 0"} becomes {@code "must be greater than 0"}, read after the field name). A
 * message-level rule (none in Tandem's protos) has the empty path.
 */
final class ProtovalidateViolations {

    private static final String VALUE = "value ";

    private ProtovalidateViolations() {
    }

    /**
     * @param violations what {@code Validator.validate} found
     * @param out receives one value violation each
     */
    static void addTo(List<build.buf.protovalidate.Violation> violations, Violations out) {
        for (build.buf.protovalidate.Violation v : violations) {
            build.buf.validate.Violation proto = v.toProto();
            StringBuilder path = new StringBuilder();
            List<Integer> numbers = new ArrayList<>();
            for (FieldPathElement e : proto.getField().getElementsList()) {
                path.append(path.length() == 0 ? "" : ".").append(e.getFieldName()).append(subscript(e));
                numbers.add(e.getFieldNumber());
            }
            String message = proto.getMessage();
            out.value(numbers, path.toString(), message.startsWith(VALUE) ? message.substring(VALUE.length()) : message);
        }
    }

    private static String subscript(FieldPathElement e) {
        return switch (e.getSubscriptCase()) {
            case INDEX -> "[" + e.getIndex() + "]";
            case BOOL_KEY -> "[" + e.getBoolKey() + "]";
            case INT_KEY -> "[" + e.getIntKey() + "]";
            case UINT_KEY -> "[" + Long.toUnsignedString(e.getUintKey()) + "]";
            case STRING_KEY -> "[\"" + e.getStringKey() + "\"]";
            case SUBSCRIPT_NOT_SET -> "";
        };
    }
}
