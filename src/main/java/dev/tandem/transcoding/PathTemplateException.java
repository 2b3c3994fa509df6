package dev.tandem.transcoding;

/**
 * A path template that does not follow the grammar of {@code google/api/http.proto}.
 *
 * <p>The message names the template and the zero-based character index of the fault, e.g.
 * {@code invalid path template "/v1/{id": expected '}' at index 7}.
 */
public final class PathTemplateException extends IllegalArgumentException {

    private final String template;
    private final int index;

    /**
     * @param template the whole template text as written in the HttpRule
     * @param index zero-based character index of the fault in {@code template}
     * @param problem what is wrong, e.g. {@code "expected '}'"}
     */
    public PathTemplateException(String template, int index, String problem) {
        super("invalid path template \"" + template + "\": " + problem + " at index " + index);
        this.template = template;
        this.index = index;
    }

    /** @return the template text that failed to parse */
    public String template() {
        return template;
    }

    /** @return zero-based character index of the fault */
    public int index() {
        return index;
    }
}
