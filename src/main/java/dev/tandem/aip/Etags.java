package dev.tandem.aip;

import dev.tandem.error.ApiErrors;
import dev.tandem.error.BadRequestBuilder;
import io.grpc.StatusRuntimeException;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of Tandem's resources, per AIP-154 (and RFC 9110 section 8.8.3 for their syntax).
 *
 * <p>An etag is derived from the row's {@code version} column (Hibernate {@code @Version}, bumped on
 * every update): {@code "<version>"}, i.e. the decimal version between double quotes, e.g. {@code
 * "3"}. It is a <em>strong</em> tag of the resource's own fields (a user's names and e-mail, an
 * order's fields); a user's embedded {@code orders} are a read-only view and do not change it.
 * Clients must treat it as opaque.
 *
 * <p>On input, {@code "<n>"} and the weak form {@code W/"<n>"} name the same version (comparison by
 * version number: AIP-154 leaves the strong/weak comparison to the service, and a version number
 * identifies the state of the fields exactly). Anything else is malformed.
 */
public final class Etags {

    /** {@code google.rpc.ErrorInfo.reason} when a request's etag field is stale (AIP-154): ABORTED / 409. */
    public static final String ETAG_MISMATCH = "ETAG_MISMATCH";
    /**
     * {@code google.rpc.ErrorInfo.reason} when the {@code if-match} metadata (HTTP {@code If-Match})
     * matches no current etag: ABORTED today (409 on REST); a transcoder that knows it maps it to 412.
     */
    public static final String IF_MATCH_FAILED = "IF_MATCH_FAILED";
    /** {@code google.rpc.ErrorInfo.reason} when another request changed the row between read and write. */
    public static final String CONCURRENT_UPDATE = "CONCURRENT_UPDATE";

    private static final Pattern TAG = Pattern.compile("(?:W/)?\"(0|[1-9][0-9]{0,18})\"");

    private Etags() {
    }

    /**
     * @param version a row's {@code version}, >= 0
     * @return its etag, e.g. {@code "3"} (with the quotes)
     */
    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Parses one entity tag.
     *
     * @param tag e.g. {@code "3"} or {@code W/"3"}; surrounding whitespace is ignored
     * @return the version it names, or empty when {@code tag} is not a Tandem etag
     */
    public static OptionalLong version(String tag) {
        Matcher m = TAG.matcher(tag.strip());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /**
     * Validates an etag request field.
     *
     * @param value the field's value; empty means "no condition"
     * @param field its proto path, e.g. {@code user.etag}, for the violation
     * @param violations receives "must be an etag" when it is not empty and malformed
     * @return the version it names; empty when the field is empty or malformed
     */
    public static OptionalLong field(String value, String field, BadRequestBuilder violations) {
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong v = version(value);
        if (v.isEmpty()) {
            violations.add(field, "must be an etag as returned by the server, e.g. \"3\" (with the quotes)");
        }
        return v;
    }

    /**
     * Checks the preconditions of a conditional write against the row's current version: the etag
     * request field (when given) and the call's {@code if-match} metadata (when given, see
     * {@link IfMatch}). Both must hold.
     *
     * @param resource the resource name, e.g. {@code users/7}, for the error detail
     * @param current the row's current {@code version}
     * @param expected the version named by the request's etag field, or empty
     * @param ifMatch the call's {@code if-match} value, or {@code null}
     * @throws StatusRuntimeException {@code ABORTED} with {@code google.rpc.ErrorInfo} reason
     *     {@link #ETAG_MISMATCH} (field) or {@link #IF_MATCH_FAILED} (metadata)
     */
    public static void check(String resource, long current, OptionalLong expected, String ifMatch) {
        if (expected.isPresent() && expected.getAsLong() != current) {
            throw aborted(ETAG_MISMATCH, resource,
                    "etag mismatch: " + resource + " has changed since it was read; read it again and retry");
        }
        if (ifMatch != null && !IfMatch.matches(ifMatch, current)) {
            throw aborted(IF_MATCH_FAILED, resource,
                    "If-Match precondition failed: " + resource + " has another etag; read it again and retry");
        }
    }

    /**
     * {@code ABORTED} for a write that lost a race with another write of the same row (an optimistic
     * lock failure at flush time).
     *
     * @param resource e.g. {@code users/7}
     * @return {@code ABORTED} with reason {@link #CONCURRENT_UPDATE}
     */
    public static StatusRuntimeException concurrentUpdate(String resource) {
        return aborted(CONCURRENT_UPDATE, resource,
                resource + " was changed by a concurrent request; read it again and retry");
    }

    private static StatusRuntimeException aborted(String reason, String resource, String message) {
        return ApiErrors.aborted(reason, resource, message);
    }
}
