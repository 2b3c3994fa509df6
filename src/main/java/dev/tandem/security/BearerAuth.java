package dev.tandem.security;

/**
 * The syntax of OAuth 2.0 bearer tokens in HTTP (RFC 6750), which gRPC carries the same way, as
 * request metadata {@code authorization}.
 *
 * <ul>
 *   <li>In: {@code Authorization: Bearer <token>} (RFC 6750, section 2.1). The scheme is
 *       case-insensitive (RFC 9110, section 11.1); the token is a {@code b64token}, which every
 *       compact JWT is.</li>
 *   <li>Out: the {@code WWW-Authenticate} challenge of a rejected request (RFC 6750, section 3):
 *       {@code Bearer realm="tandem"} when the request carried no bearer token, with {@code
 *       error="invalid_token"} when its token was not accepted, {@code error="insufficient_scope"}
 *       when the token lacks the role, {@code error="invalid_request"} when it carried more than one
 *       {@code Authorization} header (RFC 6750 section 3.1), plus an {@code error_description}.</li>
 * </ul>
 */
public final class BearerAuth {

    /** The {@code realm} of every challenge. */
    public static final String REALM = "tandem";

    /** RFC 6750 error code: the token is malformed, expired, badly signed or from another issuer. */
    public static final String INVALID_TOKEN = "invalid_token";

    /**
     * RFC 6750 error code (section 3.1): the request is malformed, e.g. it carries more than one
     * credential ("uses more than one method for including an access token"); HTTP 400.
     */
    public static final String INVALID_REQUEST = "invalid_request";

    /** RFC 6750 error code: the token is valid but does not grant what the request needs. */
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** The scheme and the one space that must follow it, compared case-insensitively. */
    private static final String SCHEME = "bearer ";

    private BearerAuth() {
    }

    /**
     * Reads {@code credentials = "Bearer" 1*SP b64token} (RFC 6750 section 2.1), with {@code
     * b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}, after trimming
     * surrounding whitespace. A scan of the characters, not a regular expression: this runs on every
     * authenticated call, and {@code java.util.regex}'s character class cost a tenth of the CPU of an
     * authenticated {@code SayHello} (bench/RESULTS.md).
     *
     * @param authorization the {@code Authorization} header (metadata {@code authorization}), or
     *     {@code null}
     * @return the bearer token, or {@code null} when there is none: no header, another scheme
     *     ({@code Basic ...}) or a value that is not {@code Bearer <b64token>}
     */
    public static String token(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.trim();
        if (!v.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        int start = SCHEME.length();
        while (start < v.length() && v.charAt(start) == ' ') {
            start++;
        }
        int i = start;
        while (i < v.length() && isB64TokenChar(v.charAt(i))) {
            i++;
        }
        if (i == start) {
            return null;
        }
        while (i < v.length() && v.charAt(i) == '=') {
            i++;
        }
        return i == v.length() ? v.substring(start) : null;
    }

    private static boolean isB64TokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    /**
     * @param error {@code null} for a request without a bearer token (RFC 6750 section 3.1: then no
     *     error code), else {@link #INVALID_REQUEST}, {@link #INVALID_TOKEN} or {@link
     *     #INSUFFICIENT_SCOPE}
     * @param description for humans; double quotes and backslashes are dropped to keep the
     *     quoted-string valid
     * @return the value of a {@code WWW-Authenticate} header, e.g. {@code Bearer realm="tandem",
     *     error="invalid_token", error_description="the bearer token has expired"}
     */
    public static String challenge(String error, String description) {
        StringBuilder b = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
        if (error != null) {
            b.append(", error=\"").append(error).append('"');
        }
        if (description != null) {
            b.append(", error_description=\"").append(description.replaceAll("[\"\\\\]", "")).append('"');
        }
        return b.toString();
    }
}
