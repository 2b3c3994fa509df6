package dev.tandem.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test profile with production's security settings: authentication on, verifying {@link
 * TestTokens}' tokens (public key file and issuer, as {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION} and
 * {@code MP_JWT_VERIFY_ISSUER} give them in production), and, so that the server's request timeout
 * can be watched without waiting 30 s, {@code tandem.limits.max-request-timeout} of 3 s. Test
 * classes that share it share one application start.
 */
public class AuthProfile implements QuarkusTestProfile {

    /** The request timeout cap of this profile. */
    public static final String MAX_REQUEST_TIMEOUT = "3s";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tandem.auth.enabled", "true",
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "tandem.limits.max-request-timeout", MAX_REQUEST_TIMEOUT);
    }
}
