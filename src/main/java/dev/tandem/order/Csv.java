package dev.tandem.order;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values by RFC 4180: records separated by line breaks, fields by commas, a field
 * that holds a comma, a double quote or a line break enclosed in double quotes with each double quote
 * inside doubled. Stateless and thread-safe.
 *
 * <p>Writing ({@link #appendRecord}) follows RFC 4180 section 2 exactly: CRLF after every record,
 * quotes only where needed. Reading ({@link #parse}) is strict where RFC 4180 is and lenient where
 * common writers differ: LF alone also ends a record (Unix tools), a last record needs no line break,
 * and one leading byte order mark (U+FEFF, as Excel writes) is skipped. Refused, as {@link
 * Malformed} with the line it is on: a quote inside an unquoted field, anything but a comma or a line
 * break after a closing quote, a carriage return not followed by LF outside quotes, a quoted field
 * not closed before the end.
 */
final class Csv {

    /** The line break RFC 4180 section 2 puts after every record. */
    static final String CRLF = "\r\n";

    private Csv() {}

    /**
     * One record as read.
     *
     * @param line the line the record starts on, counted from 1 (a quoted line break inside a field
     *     counts too, so a record may span lines)
     * @param fields its fields, unquoted, at least one
     */
    record Record(int line, List<String> fields) {}

    /** Text that is not CSV by RFC 4180. */
    static final class Malformed extends RuntimeException {
        private final int line;

        Malformed(int line, String message) {
            super(message);
            this.line = line;
        }

        /** @return the line of the fault, counted from 1 */
        int line() {
            return line;
        }
    }

    /**
     * @param text the whole file
     * @return its records in order; none for an empty text
     * @throws Malformed at the first fault
     */
    static List<Record> parse(String text) {
        List<Record> records = new ArrayList<>();
        int n = text.length();
        int pos = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int line = 1;
        while (pos < n) {
            int start = line;
            List<String> fields = new ArrayList<>();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                StringBuilder field = new StringBuilder();
                if (pos < n && text.charAt(pos) == '"') {
                    pos++;
                    while (true) {
                        if (pos >= n) {
                            throw new Malformed(start, "a quoted field is not closed before the end of the file");
                        }
                        char c = text.charAt(pos++);
                        if (c == '"') {
                            if (pos < n && text.charAt(pos) == '"') {
                                field.append('"');
                                pos++;
                                continue;
                            }
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                    if (pos < n && text.charAt(pos) != ',' && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                        throw new Malformed(line, "a closing quote must be followed by a comma or a line break");
                    }
                } else {
                    while (pos < n) {
                        char c = text.charAt(pos);
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        if (c == '"') {
                            throw new Malformed(line, "a double quote in a field that does not start with one"
                                    + " (quote the field and double the quote)");
                        }
                        field.append(c);
                        pos++;
                    }
                }
                fields.add(field.toString());
                if (pos >= n) {
                    endOfRecord = true;
                } else if (text.charAt(pos) == ',') {
                    pos++;
                } else {
                    if (text.charAt(pos) == '\r') {
                        if (pos + 1 >= n || text.charAt(pos + 1) != '\n') {
                            throw new Malformed(line, "a carriage return not followed by a line feed");
                        }
                        pos++;
                    }
                    pos++; // the line feed
                    line++;
                    endOfRecord = true;
                }
            }
            records.add(new Record(start, List.copyOf(fields)));
        }
        return records;
    }

    /**
     * Appends one record and its CRLF.
     *
     * @param out where to write
     * @param fields the fields; {@code null} is written as an empty field
     * @return {@code out}
     */
    static StringBuilder appendRecord(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = fields[i] == null ? "" : fields[i];
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                out.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                out.append(f);
            }
        }
        return out.append(CRLF);
    }
}
