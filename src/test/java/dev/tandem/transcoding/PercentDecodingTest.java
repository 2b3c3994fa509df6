package dev.tandem.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of {@link PercentDecoding}: RFC 3986 section 2.1 escapes decoded as UTF-8 bytes, raw
 * characters (also those outside the Basic Multilingual Plane, which Java holds as two UTF-16
 * units) kept as they are, and every malformed escape or invalid UTF-8 sequence refused.
 */
class PercentDecodingTest {

    @ParameterizedTest(name = "{0} (keep %2F: {1}) -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", quoteCharacter = '`', textBlock = """
            a%20b                 | false | a b
            a+b                   | false | a+b
            %41%42c               | false | ABc
            %e2%82%ac             | false | €
            %E2%82%AC             | false | €
            %F0%9F%98%80          | false | 😀
            😀%20x                | false | 😀 x
            x%20😀                | false | x 😀
            😀%F0%9F%98%80😀      | false | 😀😀😀
            🇫🇷%2C🇩🇪               | false | 🇫🇷,🇩🇪
            e%CC%81               | false | e\u0301
            é%20ñ                 | false | é ñ
            ẹ́%20x             | false | ẹ́ x
            %C3%A9                | false | é
            a%2Fb                 | false | a/b
            a%2Fb                 | true  | a%2Fb
            a%2fb                 | true  | a%2fb
            😀%2F😀               | true  | 😀%2F😀
            %25                   | false | %
            %252F                 | true  | %2F
            %                     | false | NULL
            abc%                  | false | NULL
            %4                    | false | NULL
            %zz                   | false | NULL
            %G1                   | false | NULL
            😀%                   | false | NULL
            😀%C3                 | false | NULL
            %C3%28                | false | NULL
            %E2%82                | false | NULL
            %F0%9F%98             | false | NULL
            %FF                   | false | NULL
            %C0%AF                | false | NULL
            %ED%A0%80             | false | NULL
            %F4%90%80%80          | false | NULL
            %80                   | false | NULL
            """)
    void decodes(String raw, boolean keepEncodedSlash, String expected) {
        assertEquals(expected == null ? null : expected.replace("\\u0301", "\u0301"),
                PercentDecoding.decode(raw, keepEncodedSlash));
    }

    @Test
    void aSegmentWithoutEscapesIsReturnedAsItIs() {
        String raw = "😀-plain+text";
        assertSame(raw, PercentDecoding.decode(raw, false));
    }

    @Test
    void anUnpairedSurrogateIsNotText() {
        assertEquals(null, PercentDecoding.decode("\ud83d%20", false));
        assertEquals(null, PercentDecoding.decode("%20\ude00", false));
    }
}
