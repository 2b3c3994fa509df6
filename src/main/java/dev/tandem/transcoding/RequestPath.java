package dev.tandem.transcoding;

/**
 * A request path split into segments and percent-decoded once, for matching against every candidate
 * {@link PathTemplate}.
 *
 * <p>The raw path (still percent-encoded, without the query) is split on {@code '/'}, so an encoded
 * {@code %2F} never splits a segment. When the last segment contains {@code ':'}, the text after the
 * last {@code ':'} (or, failing that, the last {@code %3A}) is the candidate verb: templates with a
 * verb match the segments before it,
 * templates without a verb match the whole last segment (so {@code /v1/greeter/a:b} still binds
 * {@code a:b}).
 */
public final class RequestPath {

    private final String[] raw;
    private final String[] decoded;
    private final String verb;
    private final String[] rawBeforeVerb;
    private final String[] decodedBeforeVerb;

    private RequestPath(String[] raw, String verb, String[] rawBeforeVerb) {
        this.raw = raw;
        this.decoded = decodeAll(raw);
        this.verb = verb;
        this.rawBeforeVerb = rawBeforeVerb;
        if (rawBeforeVerb == null) {
            this.decodedBeforeVerb = null;
        } else { // only the last segment differs: decode just that one again
            int last = raw.length - 1;
            this.decodedBeforeVerb = decoded.clone();
            this.decodedBeforeVerb[last] = PercentDecoding.decode(rawBeforeVerb[last], false);
        }
    }

    /**
     * Splits a raw request path.
     *
     * @param rawPath e.g. {@code "/v1/projects/p1/topics/t1:publish"}; must start with {@code '/'}
     * @return the split path, or {@code null} if {@code rawPath} does not start with {@code '/'}
     */
    public static RequestPath parse(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        String[] raw = rawPath.substring(1).split("/", -1);
        String last = raw[raw.length - 1];
        int colon = last.lastIndexOf(':');
        int width = 1;
        if (colon < 0) {
            // Some clients percent-encode the verb's colon (RFC 3986 allows either form).
            colon = Math.max(last.lastIndexOf("%3A"), last.lastIndexOf("%3a"));
            width = 3;
        }
        if (colon < 0) {
            return new RequestPath(raw, null, null);
        }
        String[] before = raw.clone();
        before[before.length - 1] = last.substring(0, colon);
        String verb = PercentDecoding.decode(last.substring(colon + width), false);
        return new RequestPath(raw, verb, before);
    }

    private static String[] decodeAll(String[] raw) {
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = PercentDecoding.decode(raw[i], false);
        }
        return out;
    }

    /** @return the raw segments of the whole path */
    String[] rawSegments() {
        return raw;
    }

    /** @return the fully decoded segments; an entry is {@code null} where decoding failed */
    String[] decodedSegments() {
        return decoded;
    }

    /** @return the text after the last {@code ':'} of the last segment, or {@code null} */
    public String verb() {
        return verb;
    }

    /** @return raw segments with the verb cut off the last one, or {@code null} without a verb */
    String[] rawSegmentsBeforeVerb() {
        return rawBeforeVerb;
    }

    /** @return decoded segments with the verb cut off, or {@code null} without a verb */
    String[] decodedSegmentsBeforeVerb() {
        return decodedBeforeVerb;
    }
}
