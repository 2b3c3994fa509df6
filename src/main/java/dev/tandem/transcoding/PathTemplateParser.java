package dev.tandem.transcoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the path template of an HttpRule, following the grammar of {@code google/api/http.proto}:
 *
 * <pre>
 * Template = "/" Segments [ Verb ] ;
 * Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * FieldPath = IDENT { "." IDENT } ;
 * Verb     = ":" LITERAL ;
 * </pre>
 *
 * <p>Further rules of the same source, enforced here: {@code **} matches zero or more segments and
 * must be the last segment before the verb; a variable may not contain another variable; {@code
 * {var}} is {@code {var=*}}. Also rejected: empty segments ({@code //}, a trailing {@code /}) and a
 * field path bound twice in one template. LITERAL is any run of characters other than {@code / { }
 * : * =}, whitespace, {@code ?} and {@code #}; it may be percent-encoded and is kept decoded, since
 * request segments are compared after decoding.
 *
 * <p>Parsing happens once per HttpRule at start-up; every error is a {@link PathTemplateException}
 * naming the template and the character index.
 */
public final class PathTemplateParser {

    private final String text;
    private int pos;
    private final List<PathTemplate.Segment> segments = new ArrayList<>();
    private final List<PathTemplate.Variable> variables = new ArrayList<>();

    private PathTemplateParser(String text) {
        this.text = text;
    }

    /**
     * Parses {@code template}.
     *
     * @param template e.g. {@code "/v1/{name=shelves/*}/books/{book.id}:publish"}
     * @return the parsed template
     * @throws PathTemplateException if {@code template} does not follow the grammar
     */
    public static PathTemplate parse(String template) {
        if (template == null) {
            throw new PathTemplateException("null", 0, "template is null");
        }
        return new PathTemplateParser(template).template();
    }

    private PathTemplate template() {
        if (!consume('/')) {
            throw error("expected '/' at the start");
        }
        segments(false);
        String verb = null;
        if (consume(':')) {
            int start = pos;
            verb = literal();
            if (verb.isEmpty()) {
                throw errorAt(start, "expected a verb after ':'");
            }
        }
        if (pos != text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        checkDeepWildcardIsLast();
        return new PathTemplate(text, segments, variables, verb);
    }

    private void segments(boolean insideVariable) {
        segment(insideVariable);
        while (consume('/')) {
            segment(insideVariable);
        }
    }

    private void segment(boolean insideVariable) {
        int start = pos;
        if (consume('*')) {
            if (consume('*')) {
                segments.add(new PathTemplate.Segment(PathTemplate.Kind.MULTI, null, start));
            } else {
                segments.add(new PathTemplate.Segment(PathTemplate.Kind.SINGLE, null, start));
            }
            return;
        }
        if (peek() == '{') {
            if (insideVariable) {
                throw error("a variable may not contain another variable");
            }
            variable();
            return;
        }
        String literal = literal();
        if (literal.isEmpty()) {
            throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "expected a segment");
        }
        String decoded = PercentDecoding.decode(literal, false);
        if (decoded == null) {
            throw errorAt(start, "literal is not valid percent-encoded UTF-8");
        }
        segments.add(new PathTemplate.Segment(PathTemplate.Kind.LITERAL, decoded, start));
    }

    private void variable() {
        int open = pos;
        expect('{');
        String fieldPath = fieldPath();
        int first = segments.size();
        if (consume('=')) {
            segments(true);
        } else {
            segments.add(new PathTemplate.Segment(PathTemplate.Kind.SINGLE, null, pos));
        }
        expect('}');
        for (PathTemplate.Variable v : variables) {
            if (v.fieldPath().equals(fieldPath)) {
                throw errorAt(open, "field path '" + fieldPath + "' is bound twice");
            }
        }
        variables.add(new PathTemplate.Variable(fieldPath, first, segments.size()));
    }

    private String fieldPath() {
        int start = pos;
        ident();
        while (consume('.')) {
            ident();
        }
        return text.substring(start, pos);
    }

    private void ident() {
        if (pos >= text.length() || !isIdentStart(text.charAt(pos))) {
            throw error("expected a field name");
        }
        pos++;
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
            pos++;
        }
    }

    private String literal() {
        int start = pos;
        while (pos < text.length() && isLiteralChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void checkDeepWildcardIsLast() {
        for (int i = 0; i < segments.size() - 1; i++) {
            if (segments.get(i).kind() == PathTemplate.Kind.MULTI) {
                throw errorAt(segments.get(i).position(), "'**' must be the last segment");
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private static boolean isLiteralChar(char c) {
        return c > ' ' && c != 0x7f && "/{}:*=?#".indexOf(c) < 0;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private PathTemplateException error(String problem) {
        return errorAt(pos, problem);
    }

    private PathTemplateException errorAt(int index, String problem) {
        return new PathTemplateException(text, index, problem);
    }
}
