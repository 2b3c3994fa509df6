package dev.tandem.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Verified tokens are cached (Caffeine), keyed by the token's exact text, at most {@code
 * tandem.auth.token-cache-size} of them, each until its {@code exp} or for {@code
 * tandem.auth.token-cache-ttl}, whichever is sooner ({@link #cacheNanos}): the same bytes verify the
 * same way until then, so only the signature check is saved (the gateway practice of Envoy's
 * {@code jwt_authn} filter). A cached token is never accepted past its {@code exp}, where SmallRye
 * alone would allow the clock skew. Refused tokens are not cached.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);

    @Inject
    JWTParser parser;

    private final Cache<String, JsonWebToken> verified;

    @Inject
    TokenVerifier(AuthConfig config) {
        long ttl = config.tokenCacheTtl().toNanos();
        verified = config.tokenCacheSize() <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(config.tokenCacheSize())
                .expireAfter(Expiry.<String, JsonWebToken>creating(
                        (token, jwt) -> Duration.ofNanos(cacheNanos(jwt.getExpirationTime(), System.currentTimeMillis(), ttl))))
                .build();
    }

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
        JsonWebToken cached = verified == null ? null : verified.getIfPresent(token); // expires at exp
        if (cached != null) {
            return cached;
        }
        try {
            JsonWebToken jwt = parser.parse(token);
            if (verified != null) {
                verified.put(token, jwt);
            }
            return jwt;
        } catch (ParseException e) {
            // why, for the operator; the caller learns only "not valid" or "expired"
            LOG.debugf("bearer token rejected: %s", e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            throw AuthException.invalidToken(expiredOnly(e));
        }
    }

    /**
     * @param expSeconds a verified token's {@code exp} (seconds since the epoch; 0 when it has none)
     * @param nowMillis the time now, milliseconds since the epoch
     * @param ttlNanos the longest a token is cached, in nanoseconds
     * @return how long to cache it, in nanoseconds: until {@code exp}, at most {@code ttlNanos}, 0
     *     for a token without {@code exp} or already at it
     */
    static long cacheNanos(long expSeconds, long nowMillis, long ttlNanos) {
        long left = expSeconds * 1000 - nowMillis;
        return left <= 0 ? 0 : Math.min(TimeUnit.MILLISECONDS.toNanos(left), ttlNanos);
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
