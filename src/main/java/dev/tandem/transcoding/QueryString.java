package dev.tandem.transcoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a raw query string ({@code application/x-www-form-urlencoded}, as browsers and
 * grpc-gateway read it): pairs split on {@code &}, names from values on the first {@code =}, {@code
 * +} is a space, percent-escapes are UTF-8. Unlike lenient decoders it refuses a malformed escape
 * or invalid UTF-8 instead of turning it into U+FFFD, as path variables do.
 */
public final class QueryString {

    private QueryString() {}

    /**
     * @param raw the query without {@code ?}, or {@code null}
     * @return each name with its values in order of appearance; empty names are skipped, a name
     *     without {@code =} has the value {@code ""}
     * @throws TranscodingException {@code INVALID_ARGUMENT} naming the parameter whose name or
     *     value is not valid percent-encoded UTF-8
     */
    public static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName, rawName);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (!name.isEmpty()) {
                out.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
        }
        return out;
    }

    private static String decode(String s, String name) {
        String decoded = PercentDecoding.decode(s.replace('+', ' '), false);
        if (decoded == null) {
            throw TranscodingException.invalidArgument(name, "query parameter is not valid percent-encoded UTF-8");
        }
        return decoded;
    }
}
