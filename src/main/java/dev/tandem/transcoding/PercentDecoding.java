package dev.tandem.transcoding;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of URL path segments (RFC 3986 section 2.1) into UTF-8 text, as HttpRule path
 * variables need it. A {@code '+'} is a literal plus in a path, never a space. Escapes are
 * collected as bytes and raw characters as the UTF-8 bytes of their code points, and the whole is
 * decoded once, so escapes and raw characters of any plane mix freely.
 */
public final class PercentDecoding {

    private PercentDecoding() {}

    /**
     * Decodes {@code s}.
     *
     * @param s a raw path segment, e.g. {@code "a%20b"}
     * @param keepEncodedSlash leave {@code %2F}/{@code %2f} as they are, as {@code
     *     google/api/http.proto} asks for multi-segment variables
     * @return the decoded text, {@code s} itself when it has no {@code '%'}, or {@code null} when an
     *     escape is truncated, not hexadecimal, or the bytes are not valid UTF-8 (RFC 3629: no
     *     overlong forms, no surrogates, nothing above U+10FFFF), or {@code s} holds an unpaired
     *     UTF-16 surrogate
     */
    public static String decode(String s, boolean keepEncodedSlash) {
        int first = s.indexOf('%');
        if (first < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = (hi << 4) | lo;
                if (keepEncodedSlash && b == '/') {
                    bytes.put((byte) '%').put((byte) s.charAt(i + 1)).put((byte) s.charAt(i + 2));
                } else {
                    bytes.put((byte) b);
                }
                i += 2;
            } else {
                // a raw character: its UTF-8 bytes, by code point (a non-BMP character is two chars)
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                    end++;
                } else if (Character.isSurrogate(c)) {
                    return null; // an unpaired surrogate is not text
                }
                bytes.put(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
