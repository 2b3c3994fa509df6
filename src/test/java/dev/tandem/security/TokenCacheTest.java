package dev.tandem.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenVerifier}'s cache of verified tokens, with RS256 tokens signed by the test key
 * ({@link AuthProfile}): the same token is verified once, a different one on its own, a refused one
 * is never cached, and a cached token lasts until its {@code exp} at the longest
 * ({@link TokenVerifier#cacheNanos}, table-tested).
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class TokenCacheTest {

    @Inject
    TokenVerifier verifier;

    @Test
    void theSameTokenIsVerifiedOnceAndADifferentOneOnItsOwn() throws Exception {
        String token = TestTokens.valid("reader");
        JsonWebToken first = verifier.verify(TestTokens.bearer(token));
        assertSame(first, verifier.verify(TestTokens.bearer(token)), "the second call is served from the cache");
        JsonWebToken other = verifier.verify(TestTokens.bearer(TestTokens.valid("writer")));
        assertNotSame(first, other);
        assertEquals(java.util.Set.of("writer"), TokenVerifier.groups(other));
    }

    @Test
    void refusedTokensAreRefusedEveryTime() {
        for (String bad : new String[] {TestTokens.badSignature("writer"), TestTokens.expired("writer"),
                TestTokens.wrongIssuer("writer")}) {
            assertThrows(AuthException.class, () -> verifier.verify(TestTokens.bearer(bad)));
            assertThrows(AuthException.class, () -> verifier.verify(TestTokens.bearer(bad)), "not cached");
        }
    }

    @Test
    void aTokenIsCachedUntilItsExpAtMostTheTtl() {
        long ttl = TimeUnit.MINUTES.toNanos(5);
        long now = 1_800_000_000_000L;
        long[][] cases = {
            // exp (s), expected nanos
            {now / 1000 + 3600, ttl}, // an hour left: the TTL
            {now / 1000 + 10, TimeUnit.SECONDS.toNanos(10)}, // 10 s left: until exp
            {now / 1000, 0}, // at exp: not cached
            {now / 1000 - 30, 0}, // past exp (within SmallRye's skew): not cached
            {0, 0}, // no exp
        };
        for (long[] c : cases) {
            assertEquals(c[1], TokenVerifier.cacheNanos(c[0], now, ttl), "exp " + c[0]);
        }
    }
}
