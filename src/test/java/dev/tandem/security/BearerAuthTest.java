package dev.tandem.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The RFC 6750 syntax: reading {@code Authorization: Bearer}, writing {@code WWW-Authenticate}. */
class BearerAuthTest {

    @Test
    void readsTheTokenOfABearerCredential() {
        assertEquals("eyJ.a-b_c.d~+/=", BearerAuth.token("Bearer eyJ.a-b_c.d~+/="));
        assertEquals("abc", BearerAuth.token("bearer abc"), "the scheme is case-insensitive (RFC 9110, 11.1)");
        assertEquals("abc", BearerAuth.token("  BEARER   abc  "));
        assertEquals("abc==", BearerAuth.token("bEaReR abc=="), "padding belongs to the token");
        assertEquals("A-Z.a_z~0+9/", BearerAuth.token("Bearer A-Z.a_z~0+9/"), "every b64token character");
    }

    @Test
    void anythingElseHasNoToken() {
        assertNull(BearerAuth.token(null));
        assertNull(BearerAuth.token(""));
        assertNull(BearerAuth.token("Bearer"));
        assertNull(BearerAuth.token("Bearer "));
        assertNull(BearerAuth.token("Basic dXNlcjpwYXNz"));
        assertNull(BearerAuth.token("Bearer a b"), "one token only");
        assertNull(BearerAuth.token("Bearer a\"b"), "not a b64token");
        assertNull(BearerAuth.token("Bearerabc"));
        assertNull(BearerAuth.token("Bearer ==="), "b64token starts with at least one token character");
        assertNull(BearerAuth.token("Bearer ab=c"), "'=' only at the end");
        assertNull(BearerAuth.token("Bearer\tabc"), "the separator is SP");
        assertNull(BearerAuth.token("Bearer abc\u00e9"), "ASCII only");
        assertNull(BearerAuth.token("Beare abc"));
        assertNull(BearerAuth.token("Bearer a,b"));
    }

    @Test
    void challengesFollowRfc6750Section3() {
        assertEquals("Bearer realm=\"tandem\"", BearerAuth.challenge(null, null),
                "no error code when the request had no credentials (3.1)");
        assertEquals("Bearer realm=\"tandem\", error=\"invalid_token\", error_description=\"the bearer token has expired\"",
                BearerAuth.challenge(BearerAuth.INVALID_TOKEN, "the bearer token has expired"));
        assertEquals("Bearer realm=\"tandem\", error=\"insufficient_scope\", error_description=\"say it\"",
                BearerAuth.challenge(BearerAuth.INSUFFICIENT_SCOPE, "say \"it\"\\"), "quotes and backslashes dropped");
    }
}
