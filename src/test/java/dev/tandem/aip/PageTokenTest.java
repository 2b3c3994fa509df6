package dev.tandem.aip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.error.BadRequestBuilder;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@link PageToken} and {@link PageSize}, without Quarkus. */
class PageTokenTest {

    @Test
    void roundTrips() {
        for (int id : new int[] {1, 2, 50, 123_456, Integer.MAX_VALUE}) {
            BadRequestBuilder violations = new BadRequestBuilder();
            String token = PageToken.encode(id);
            assertTrue(token.matches("[A-Za-z0-9_-]{12}"), token);
            assertEquals(id, PageToken.afterId(token, violations));
            assertTrue(violations.isEmpty());
        }
    }

    @Test
    void emptyTokenIsTheFirstPage() {
        BadRequestBuilder violations = new BadRequestBuilder();
        assertEquals(0, PageToken.afterId("", violations));
        assertTrue(violations.isEmpty());
    }

    @Test
    void rejectsMalformedAndForgedTokens() {
        // right length and version, wrong checksum: an edited id
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(9).put((byte) 1).putInt(7).putInt(0).array());
        String version2 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(9).put((byte) 2).putInt(7).putInt(0).array());
        for (String bad : new String[] {"%%%", "AAAA", forged, version2, PageToken.encode(9) + "A"}) {
            BadRequestBuilder violations = new BadRequestBuilder();
            assertEquals(0, PageToken.afterId(bad, violations));
            assertEquals("page_token", violations.build().getFieldViolations(0).getField(), bad);
        }
    }

    @Test
    void pageSizeDefault() {
        assertEquals(50, PageSize.resolve(0));
        assertEquals(1, PageSize.resolve(1));
        assertEquals(1000, PageSize.resolve(1000));
        // the range is the proto's rule, enforced before a service runs (ValidationInterceptorTest);
        // a value outside it here means validation was bypassed
        assertThrows(IllegalArgumentException.class, () -> PageSize.resolve(-1));
        assertThrows(IllegalArgumentException.class, () -> PageSize.resolve(1001));
    }
}
