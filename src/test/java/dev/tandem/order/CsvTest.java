package dev.tandem.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Csv}: RFC 4180 reading and writing, case by case. */
class CsvTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("a", List.of(List.of(1, "a"))),
                Arguments.of("a,b\r\nc,d\r\n", List.of(List.of(1, "a", "b"), List.of(2, "c", "d"))),
                Arguments.of("a\nb\n", List.of(List.of(1, "a"), List.of(2, "b"))),
                Arguments.of("a,,\n", List.of(List.of(1, "a", "", ""))),
                Arguments.of("\n", List.of(List.of(1, ""))),
                Arguments.of("\"a,b\",\"say \"\"hi\"\"\"", List.of(List.of(1, "a,b", "say \"hi\""))),
                Arguments.of("\"two\r\nlines\",x\ny", List.of(List.of(1, "two\r\nlines", "x"), List.of(3, "y"))),
                Arguments.of("\"\"\n", List.of(List.of(1, ""))),
                Arguments.of("\uFEFFname\n", List.of(List.of(1, "name"))),
                Arguments.of(" a , b ", List.of(List.of(1, " a ", " b "))));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parses(String text, List<List<Object>> expected) {
        List<Csv.Record> records = Csv.parse(text);
        assertEquals(expected.size(), records.size(), records.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get(0), records.get(i).line(), text);
            assertEquals(expected.get(i).subList(1, expected.get(i).size()), records.get(i).fields(), text);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a\nb\"c\n", 2, "a double quote in a field"),
                Arguments.of("a\n\"b\"c\n", 2, "a closing quote must be followed"),
                Arguments.of("a\n\"b\nc\nd", 2, "not closed before the end"),
                Arguments.of("a\rb", 1, "carriage return"),
                Arguments.of("x\n\"multi\nline\" y", 3, "a closing quote must be followed"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesWithTheLine(String text, int line, String message) {
        Csv.Malformed e = assertThrows(Csv.Malformed.class, () -> Csv.parse(text));
        assertEquals(line, e.line(), text);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static Stream<Arguments> written() {
        return Stream.of(
                Arguments.of(new String[] {"a", "b"}, "a,b\r\n"),
                Arguments.of(new String[] {"a,b"}, "\"a,b\"\r\n"),
                Arguments.of(new String[] {"say \"hi\""}, "\"say \"\"hi\"\"\"\r\n"),
                Arguments.of(new String[] {"two\nlines", ""}, "\"two\nlines\",\r\n"),
                Arguments.of(new String[] {"cr\r"}, "\"cr\r\"\r\n"),
                Arguments.of(new String[] {null, " x "}, ", x \r\n"));
    }

    @ParameterizedTest
    @MethodSource("written")
    void writesAndReadsBack(String[] fields, String expected) {
        String text = Csv.appendRecord(new StringBuilder(), fields).toString();
        assertEquals(expected, text);
        List<String> back = Csv.parse(text).get(0).fields();
        assertEquals(Stream.of(fields).map(f -> f == null ? "" : f).toList(), back);
    }
}
