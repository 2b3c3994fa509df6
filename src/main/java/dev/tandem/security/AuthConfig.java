package dev.tandem.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Authentication and authorization of RPCs, prefix {@code tandem.auth}; every property may be set
 * per profile ({@code %dev.tandem.auth.enabled=false}) or by environment variable ({@code
 * TANDEM_AUTH_ENABLED=false}). How tokens are verified (public key, issuer, audience, groups claim)
 * is MicroProfile JWT's standard configuration, {@code mp.jwt.verify.*} ({@code
 * MP_JWT_VERIFY_PUBLICKEY_LOCATION}, {@code MP_JWT_VERIFY_ISSUER}), read by SmallRye JWT.
 *
 * <p>Roles are the values of the token's {@code groups} claim (MicroProfile JWT 2.1, section
 * "groups"; another claim with {@code smallrye.jwt.path.groups}). A read needs {@link #readerRole()}
 * or {@link #writerRole()}: the writer role implies the reader role, since a writer must read a
 * resource's etag to update it (AIP-154). A write needs {@link #writerRole()}. Which RPC is a read
 * is {@link RpcAccess}'s rule.
 */
@ConfigMapping(prefix = "tandem.auth")
public interface AuthConfig {

    /**
     * @return require a valid bearer token with the RPC's role on every RPC except those of {@link
     *     #openServices()}, over gRPC and REST alike; {@code false} serves every caller. When on, the
     *     application does not start without a verification key and an issuer.
     */
    @WithDefault("true")
    boolean enabled();

    /** @return the {@code groups} value that allows reads */
    @WithDefault("reader")
    String readerRole();

    /** @return the {@code groups} value that allows writes (and reads) */
    @WithDefault("writer")
    String writerRole();

    /**
     * @return full gRPC service names served without a token: health checks and server reflection
     *     (which describes the API, not its data). HTTP {@code /q/health/*} is no RPC and always open.
     */
    @WithDefault("grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection")
    List<String> openServices();

    /**
     * @return when set, {@code /q/metrics} (Prometheus) requires a bearer token whose {@code groups}
     *     holds this value (401 without a valid token, 403 without the role); unset, the metrics are
     *     open, as health is. Only while {@link #enabled()}.
     */
    Optional<String> metricsRole();

    /**
     * @return how many verified tokens {@link TokenVerifier} keeps, so that a client sending the same
     *     token on every call pays for one signature check, not one per call (RS256 verification
     *     costs far more than a call to {@code SayHello}); 0 verifies every call. A token leaves the
     *     cache when its {@code exp} passes or after {@link #tokenCacheTtl()}, whichever is first.
     */
    @WithDefault("1000")
    int tokenCacheSize();

    /** @return the longest a verified token is kept before it is verified again */
    @WithDefault("5m")
    java.time.Duration tokenCacheTtl();

    /**
     * @param access what the RPC does
     * @param groups the caller's roles
     * @return whether those roles allow it
     */
    default boolean allows(RpcAccess access, Set<String> groups) {
        return groups.contains(writerRole()) || access == RpcAccess.READ && groups.contains(readerRole());
    }

    /**
     * @param access what the RPC does
     * @return the least role that allows it, for error messages
     */
    default String roleFor(RpcAccess access) {
        return access == RpcAccess.READ ? readerRole() : writerRole();
    }
}
