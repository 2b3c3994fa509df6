package dev.tandem.security;

import dev.tandem.error.ApiErrors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A call that is not let through, with what its caller is told: a {@code google.rpc.Status} ({@code
 * UNAUTHENTICATED} or {@code PERMISSION_DENIED}, with a {@code google.rpc.ErrorInfo} detail, built
 * by {@link ApiErrors}) and an RFC 6750 challenge in the trailer {@value #WWW_AUTHENTICATE}, which
 * the REST facade answers as the HTTP {@code WWW-Authenticate} header.
 */
public final class AuthException extends Exception {

    /** Response metadata (trailer) key {@value} with the RFC 6750 challenge. */
    public static final String WWW_AUTHENTICATE = "www-authenticate";

    /** {@code google.rpc.ErrorInfo.reason}: no bearer token in the call. */
    public static final String CREDENTIALS_MISSING = "CREDENTIALS_MISSING";
    /** {@code google.rpc.ErrorInfo.reason}: more than one {@code authorization} header (metadata entry). */
    public static final String CREDENTIALS_AMBIGUOUS = "CREDENTIALS_AMBIGUOUS";
    /** {@code google.rpc.ErrorInfo.reason}: a token that is malformed, badly signed or from another issuer. */
    public static final String TOKEN_INVALID = "TOKEN_INVALID";
    /** {@code google.rpc.ErrorInfo.reason}: a token whose {@code exp} has passed. */
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";

    static final Metadata.Key<String> WWW_AUTHENTICATE_KEY =
            Metadata.Key.of(WWW_AUTHENTICATE, Metadata.ASCII_STRING_MARSHALLER);

    private static final long serialVersionUID = 1L;

    private final transient StatusRuntimeException error;
    private final String challenge;

    private AuthException(StatusRuntimeException error, String challenge) {
        super(error.getStatus().getDescription(), null, false, false);
        this.error = error;
        this.challenge = challenge;
    }

    /** @return {@code UNAUTHENTICATED}: no {@code authorization: Bearer <token>} in the call */
    static AuthException missingToken() {
        return new AuthException(ApiErrors.unauthenticated(CREDENTIALS_MISSING,
                "this call needs a bearer token: send the metadata (HTTP header) authorization: Bearer followed by a JWT"),
                BearerAuth.challenge(null, null));
    }

    /**
     * @param count how many {@code authorization} entries the call carried, more than one
     * @return {@code UNAUTHENTICATED} with reason {@value #CREDENTIALS_AMBIGUOUS} and the challenge
     *     {@code error="invalid_request"} (RFC 6750 section 3.1; the REST facade answers it 400)
     */
    static AuthException ambiguousCredentials(int count) {
        String message = "the call carries " + count + " authorization headers; send exactly one";
        return new AuthException(ApiErrors.unauthenticated(CREDENTIALS_AMBIGUOUS, message),
                BearerAuth.challenge(BearerAuth.INVALID_REQUEST, message));
    }

    /**
     * @param expired whether the token failed only for its expiry
     * @return {@code UNAUTHENTICATED} with reason {@value #TOKEN_EXPIRED} or {@value #TOKEN_INVALID}
     */
    static AuthException invalidToken(boolean expired) {
        String message = expired ? "the bearer token has expired" : "the bearer token is not valid";
        return new AuthException(ApiErrors.unauthenticated(expired ? TOKEN_EXPIRED : TOKEN_INVALID, message),
                BearerAuth.challenge(BearerAuth.INVALID_TOKEN, message));
    }

    /**
     * @param role the role the call needs
     * @param method the full gRPC method name
     * @return {@code PERMISSION_DENIED} naming the role
     */
    static AuthException missingRole(String role, String method) {
        StatusRuntimeException e = ApiErrors.permissionDenied(role, method);
        return new AuthException(e, BearerAuth.challenge(BearerAuth.INSUFFICIENT_SCOPE, e.getStatus().getDescription()));
    }

    /** @return the status to close the call with */
    public Status status() {
        return error.getStatus();
    }

    /** @return fresh trailers: {@code grpc-status-details-bin} and {@value #WWW_AUTHENTICATE} */
    public Metadata trailers() {
        Metadata trailers = new Metadata();
        Metadata details = error.getTrailers();
        if (details != null) {
            trailers.merge(details);
        }
        trailers.put(WWW_AUTHENTICATE_KEY, challenge);
        return trailers;
    }

    /** @return the RFC 6750 challenge, e.g. {@code Bearer realm="tandem", error="invalid_token", ...} */
    public String challenge() {
        return challenge;
    }
}
