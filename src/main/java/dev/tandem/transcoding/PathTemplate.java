package dev.tandem.transcoding;

import java.util.List;

/**
 * A compiled HttpRule path template: its segments, the variables bound to ranges of them, and an
 * optional verb. Immutable and thread-safe; built once at start-up by {@link #parse(String)}, then
 * only {@link #match(RequestPath) matched} per request.
 *
 * <p>Matching and decoding follow {@code google/api/http.proto}: {@code *} matches exactly one
 * non-empty segment, {@code **} zero or more; a variable spanning one segment ({@code {var}}, {@code
 * {var=*}}) is percent-decoded fully, one spanning several ({@code {var=shelves/**}}) is decoded
 * except {@code %2F}/{@code %2f}, which stay encoded; literals are compared with the fully decoded
 * segment.
 */
public final class PathTemplate {

    /** The kind of one template segment. */
    public enum Kind {
        /** A fixed text, e.g. {@code v1}. */
        LITERAL,
        /** {@code *}: exactly one non-empty segment. */
        SINGLE,
        /** {@code **}: zero or more segments; only ever last. */
        MULTI
    }

    /**
     * One segment of the template.
     *
     * @param kind what it matches
     * @param literal the percent-decoded text of a {@link Kind#LITERAL}, else {@code null}
     * @param position character index of the segment in the template text (for error messages)
     */
    public record Segment(Kind kind, String literal, int position) {}

    /**
     * A variable: the request field at {@code fieldPath} takes the segments {@code [start, end)}.
     *
     * @param fieldPath dotted proto field names, e.g. {@code book.id}
     * @param start index of the first segment bound
     * @param end index after the last segment bound
     */
    public record Variable(String fieldPath, int start, int end) {}

    private final String text;
    private final Segment[] segments;
    private final Variable[] variables;
    private final boolean[] keepSlash;
    private final String verb;
    private final boolean endsWithMulti;

    PathTemplate(String text, List<Segment> segments, List<Variable> variables, String verb) {
        this.text = text;
        this.segments = segments.toArray(new Segment[0]);
        this.variables = variables.toArray(new Variable[0]);
        this.verb = verb;
        this.endsWithMulti = !segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.MULTI;
        this.keepSlash = new boolean[this.variables.length];
        for (int i = 0; i < this.variables.length; i++) {
            Variable v = this.variables[i];
            keepSlash[i] = v.end() - v.start() > 1 || this.segments[v.start()].kind() == Kind.MULTI;
        }
    }

    /**
     * Parses a template; see {@link PathTemplateParser} for the grammar.
     *
     * @param template e.g. {@code "/v1/{name=messages/*}"}
     * @return the compiled template
     * @throws PathTemplateException if the template is invalid
     */
    public static PathTemplate parse(String template) {
        return PathTemplateParser.parse(template);
    }

    /**
     * Matches a request path.
     *
     * @param path the split request path
     * @return one value per {@link #variables()} entry, in that order (decoded as the class comment
     *     says; an empty array for a template without variables), or {@code null} if the path does
     *     not match
     * @throws TranscodingException {@code INVALID_ARGUMENT} if the path matches but a bound segment
     *     is not valid percent-encoded UTF-8
     */
    public String[] match(RequestPath path) {
        String[] raw;
        String[] decoded;
        if (verb == null) {
            raw = path.rawSegments();
            decoded = path.decodedSegments();
        } else {
            if (!verb.equals(path.verb())) {
                return null;
            }
            raw = path.rawSegmentsBeforeVerb();
            decoded = path.decodedSegmentsBeforeVerb();
        }
        int n = raw.length;
        int fixed = endsWithMulti ? segments.length - 1 : segments.length;
        if (endsWithMulti ? n < fixed : n != fixed) {
            return null;
        }
        for (int i = 0; i < fixed; i++) {
            Segment s = segments[i];
            if (s.kind() == Kind.LITERAL) {
                if (!s.literal().equals(decoded[i])) {
                    return null;
                }
            } else if (raw[i].isEmpty()) {
                return null;
            }
        }
        String[] values = new String[variables.length];
        for (int v = 0; v < variables.length; v++) {
            Variable var = variables[v];
            int from = var.start();
            int to = var.end() == segments.length && endsWithMulti ? n : var.end();
            values[v] = bind(raw, decoded, from, to, keepSlash[v], var);
        }
        return values;
    }

    private static boolean hasEncodedSlash(String segment) {
        for (int i = segment.indexOf('%'); i >= 0 && i + 2 < segment.length(); i = segment.indexOf('%', i + 1)) {
            if (segment.charAt(i + 1) == '2' && (segment.charAt(i + 2) == 'F' || segment.charAt(i + 2) == 'f')) {
                return true;
            }
        }
        return false;
    }

    private String bind(String[] raw, String[] decoded, int from, int to, boolean keepSlash, Variable var) {
        if (!keepSlash) {
            if (decoded[from] == null) {
                throw malformed(var);
            }
            return decoded[from];
        }
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            // keeping %2F differs from the full decoding only in a segment that has one
            String d = hasEncodedSlash(raw[i]) ? PercentDecoding.decode(raw[i], true) : decoded[i];
            if (d == null) {
                throw malformed(var);
            }
            if (i > from) {
                sb.append('/');
            }
            sb.append(d);
        }
        return sb.toString();
    }

    private static TranscodingException malformed(Variable var) {
        return TranscodingException.invalidArgument(
                var.fieldPath(), "path segment is not valid percent-encoded UTF-8");
    }

    /** @return the template text as written in the HttpRule */
    public String text() {
        return text;
    }

    /** @return the variables, in template order */
    public List<Variable> variables() {
        return List.of(variables);
    }

    /** @return the segments, in template order */
    public List<Segment> segments() {
        return List.of(segments);
    }

    /** @return the verb after {@code ':'}, or {@code null} */
    public String verb() {
        return verb;
    }

    /**
     * The template's shape with variable names erased, e.g. {@code /v1/users/*:all}. Two templates
     * with the same shape match exactly the same paths, so two rules of one HTTP method with the same
     * shape conflict.
     *
     * @return the shape text
     */
    public String shape() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/').append(switch (s.kind()) {
                case LITERAL -> s.literal();
                case SINGLE -> "*";
                case MULTI -> "**";
            });
        }
        if (verb != null) {
            sb.append(':').append(verb);
        }
        return sb.toString();
    }

    /**
     * Orders templates from most to least specific, the order in which routes are tried: a template
     * with a verb first, then segment by segment a literal before {@code *} before {@code **}, then
     * the longer template first.
     *
     * @param a one template
     * @param b another template
     * @return negative if {@code a} is tried before {@code b}
     */
    public static int compareSpecificity(PathTemplate a, PathTemplate b) {
        if ((a.verb == null) != (b.verb == null)) {
            return a.verb != null ? -1 : 1;
        }
        int n = Math.min(a.segments.length, b.segments.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.segments[i].kind().ordinal(), b.segments[i].kind().ordinal());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(b.segments.length, a.segments.length);
    }

    @Override
    public String toString() {
        return text;
    }
}
