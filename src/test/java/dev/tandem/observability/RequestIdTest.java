package dev.tandem.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link RequestIdInterceptor#newId()}: random version-4 UUIDs (RFC 9562 section 5.4), all different. */
class RequestIdTest {

    @Test
    void newIdsAreVersion4UuidsOfTheIetfVariant() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIdInterceptor.newId();
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            UUID parsed = UUID.fromString(id);
            assertEquals(4, parsed.version(), id);
            assertEquals(2, parsed.variant(), id);
            assertTrue(seen.add(id), "repeated id " + id);
        }
    }
}
