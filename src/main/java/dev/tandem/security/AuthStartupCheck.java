package dev.tandem.security;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fails start-up when authentication is on ({@code tandem.auth.enabled}, the default outside dev
 * and test) but SmallRye JWT has no key to verify tokens with, or no issuer to expect: such a server
 * could only answer {@code UNAUTHENTICATED} to every call, so it is better never to become ready. The
 * message names the environment variables to set. Nothing is fetched here: a key location that
 * cannot be read shows at the first call (its {@code UNAUTHENTICATED}, and SmallRye's log).
 */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);

    @Inject
    AuthConfig config;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> keyLocation;

    /** SmallRye JWT's verification settings; empty when no verification key is configured at all. */
    @Inject
    Optional<JWTAuthContextInfo> verification;

    void check(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("Authentication is OFF (tandem.auth.enabled=false): every caller may call every RPC");
            return;
        }
        JWTAuthContextInfo info = verification.orElse(null);
        boolean key = info != null && (info.getPublicKeyLocation() != null || info.getPublicKeyContent() != null
                || info.getPublicVerificationKey() != null || info.getSecretVerificationKey() != null
                || info.getSecretKeyContent() != null);
        boolean issuer = info != null && info.getIssuedBy() != null && !info.getIssuedBy().isBlank();
        if (!key || !issuer) {
            throw new IllegalStateException("Authentication is on (tandem.auth.enabled=true) but "
                    + (key ? "" : "no token verification key is configured (set MP_JWT_VERIFY_PUBLICKEY_LOCATION, e.g. "
                            + "the JWKS URL of your identity provider or a PEM file)" + (issuer ? "" : " and "))
                    + (issuer ? "" : "no issuer is configured (set MP_JWT_VERIFY_ISSUER to the iss of your tokens)")
                    + "; or set TANDEM_AUTH_ENABLED=false to serve without authentication. See docs/security.md, "
                    + "\"Authentication and authorization\".");
        }
        LOG.infof("Authentication is on: bearer tokens of issuer %s, verified with the key of %s; reads need role %s, writes %s",
                info.getIssuedBy(), keyLocation.orElse("mp.jwt.verify.publickey"), config.readerRole(), config.writerRole());
    }
}
