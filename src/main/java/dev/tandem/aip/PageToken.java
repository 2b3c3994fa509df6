package dev.tandem.aip;

import dev.tandem.error.BadRequestBuilder;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque {@code page_token}/{@code next_page_token} of keyset-paged lists (AIP-158).
 *
 * <p>A token carries the id of the last row of the previous page; the next page is the rows with a
 * larger id. Layout, 9 bytes, base64url without padding (12 characters): version byte {@code 1},
 * the last id (int32, big-endian, > 0), CRC-32 of those 5 bytes (int32). The checksum rejects
 * truncated, corrupted or hand-edited tokens; it is not a security boundary, and need not be: a
 * crafted token can only move the cursor over rows the caller may list anyway. The empty token
 * means the first page.
 */
public final class PageToken {

    private static final byte VERSION = 1;
    private static final int LENGTH = 9;
    private static final String FIELD = "page_token";

    private PageToken() {
    }

    /**
     * The token of the page after the row with id {@code lastId}.
     *
     * @param lastId id of the last row of the current page, > 0
     * @return a non-empty, URL-safe token
     */
    public static String encode(int lastId) {
        if (lastId <= 0) {
            throw new IllegalArgumentException("lastId must be > 0");
        }
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put(VERSION).putInt(lastId);
        bytes.putInt((int) crc(bytes.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * The id after which the requested page starts.
     *
     * @param token the request's {@code page_token}
     * @param violations receives a {@code page_token} violation when the token is malformed, of an
     *     unknown version, fails its checksum or carries an id <= 0
     * @return 0 for the empty token (first page) or an invalid one, else the last id of the previous
     *     page
     */
    public static int afterId(String token, BadRequestBuilder violations) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            raw = new byte[0];
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        if (raw.length != LENGTH || bytes.get() != VERSION) {
            violations.add(FIELD, "is not a page token of this list; pass next_page_token unchanged");
            return 0;
        }
        int lastId = bytes.getInt();
        int checksum = bytes.getInt();
        if (checksum != (int) crc(raw) || lastId <= 0) {
            violations.add(FIELD, "is corrupted; pass next_page_token unchanged");
            return 0;
        }
        return lastId;
    }

    private static long crc(byte[] token) {
        CRC32 crc = new CRC32();
        crc.update(token, 0, 5);
        return crc.getValue();
    }
}
