package dev.tandem.security;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Verifies the bearer token of a call with SmallRye JWT's {@link JWTParser}, configured by the
 * standard MicroProfile JWT properties: {@code mp.jwt.verify.publickey.location} (a PEM or JWK(S)
 * file, classpath resource or HTTPS URL) or {@code mp.jwt.verify.publickey} (the key itself), {@code
 * mp.jwt.verify.issuer} (the {@code iss} the token must carry), optionally {@code
 * mp.jwt.verify.audiences}. A token passes when it is a signed JWT (RS256 unless {@code
 * mp.jwt.verify.publickey.algorithm} says otherwise) whose signature verifies with that key, whose
 * issuer matches, and whose {@code exp} has not passed (SmallRye's default clock skew, 60 s).
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);

    @Inject
    JWTParser parser;

    /**
     * @param authorization the {@code authorization} metadata (HTTP header) of the call, or {@code null}
     * @return the verified token
     * @throws AuthException {@code UNAUTHENTICATED}: no bearer token, or one that does not pass
     */
    public JsonWebToken verify(String authorization) throws AuthException {
        String token = BearerAuth.token(authorization);
        if (token == null) {
            throw AuthException.missingToken();
        }
        try {
            return parser.parse(token);
        } catch (ParseException e) {
            // why, for the operator; the caller learns only "not valid" or "expired"
            LOG.debugf("bearer token rejected: %s", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            throw AuthException.invalidToken(expiredOnly(e));
        }
    }

    /**
     * @param token a verified token
     * @return its roles ({@code groups} claim), empty when it has none
     */
    public static Set<String> groups(JsonWebToken token) {
        Set<String> groups = token.getGroups();
        return groups == null ? Set.of() : groups;
    }

    private static boolean expiredOnly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                return invalid.hasExpired() && invalid.getErrorDetails().size() == 1;
            }
        }
        return false;
    }
}
