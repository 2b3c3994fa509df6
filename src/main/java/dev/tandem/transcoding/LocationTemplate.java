package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Location} header template of {@code (tandem.api.http_response).location}, e.g. {@code
 * /v1/users/{id}}: literal text with {@code {field.path}} variables naming singular scalar fields of
 * the response message, resolved once at start-up.
 *
 * <p>{@link #render} replaces each variable by the field's value (its proto3 JSON text without
 * quotes: decimal integers, {@code true}/{@code false}, strings as they are), percent-encoded as one
 * path segment (RFC 3986 section 3.3: everything but unreserved characters). Immutable.
 */
public final class LocationTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");

    private final String text;
    private final List<String> literals;
    private final List<FieldPath> variables;

    private LocationTemplate(String text, List<String> literals, List<FieldPath> variables) {
        this.text = text;
        this.literals = literals;
        this.variables = variables;
    }

    /**
     * @param template e.g. {@code /v1/users/{id}}
     * @param response the response type whose fields the variables name
     * @return the compiled template
     * @throws IllegalArgumentException if a variable names no singular scalar field, or a brace is
     *     left unmatched
     */
    public static LocationTemplate parse(String template, Descriptor response) {
        List<String> literals = new ArrayList<>();
        List<FieldPath> variables = new ArrayList<>();
        Matcher m = VARIABLE.matcher(template);
        int at = 0;
        while (m.find()) {
            literals.add(template.substring(at, m.start()));
            FieldPath path = FieldPath.resolve(response, m.group(1));
            FieldDescriptor leaf = path.leaf();
            if (leaf.isRepeated() || leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    || leaf.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
                throw new IllegalArgumentException("location variable {" + m.group(1)
                        + "} must name a singular scalar field of " + response.getFullName());
            }
            variables.add(path);
            at = m.end();
        }
        String tail = template.substring(at);
        literals.add(tail);
        for (String literal : literals) {
            if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
                throw new IllegalArgumentException("location \"" + template + "\" has an unmatched brace or an invalid variable");
            }
        }
        return new LocationTemplate(template, List.copyOf(literals), List.copyOf(variables));
    }

    /**
     * @param response a message of the type the template was parsed against
     * @return the location, e.g. {@code /v1/users/42}
     */
    public String render(Message response) {
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals.get(0));
        for (int i = 0; i < variables.size(); i++) {
            FieldPath path = variables.get(i);
            Message m = response;
            for (int f = 0; f < path.length() - 1; f++) {
                m = (Message) m.getField(path.field(f));
            }
            Object value = m.getField(path.leaf());
            String s = value instanceof com.google.protobuf.Descriptors.EnumValueDescriptor e ? e.getName() : String.valueOf(value);
            sb.append(encodeSegment(s)).append(literals.get(i + 1));
        }
        return sb.toString();
    }

    private static String encodeSegment(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** @return the template as written */
    @Override
    public String toString() {
        return text;
    }
}
