package dev.tandem.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One conformance case, read from a data file under {@code src/test/resources/conformance/}: an
 * HTTP request against the test-only {@code tandem.conformance.v1.Conformance} service and what
 * must come back.
 *
 * <p>File format: a JSON array of objects with
 *
 * <ul>
 *   <li>{@code name} (string): what the case shows; {@code source} (optional): where the rule is;
 *   <li>{@code request}: {@code method}, {@code path} (raw, percent-encoded as sent, with the
 *       query), optional {@code headers} (object) and {@code body} (a JSON value is sent as JSON; a
 *       string is sent as is);
 *   <li>{@code status}: the expected HTTP status;
 *   <li>{@code bound} (optional): the request message the RPC received, in protobuf text format
 *       (the echo RPCs return it), of type {@code type} ({@code Kitchen} by default, or {@code
 *       KitchenUpdate});
 *   <li>{@code response} (optional): the exact JSON body expected;
 *   <li>{@code code} (optional): the {@code google.rpc.Code} of an error body; {@code field}
 *       (optional): a field its {@code google.rpc.BadRequest} detail must name;
 *   <li>{@code header} (optional): response headers that must be present, name to value;
 *   <li>{@code ndjson} (optional, for server-streaming rules): the lines of a newline-delimited JSON
 *       body, in order, each {@code {"result": <message>}} (compared as a message of {@code type}
 *       by the proto3 JSON mapping, so field names and default printing do not matter) or {@code
 *       {"error": <google.rpc.Status>}} (compared as a {@code google.rpc.Status}); a case with
 *       {@code ndjson} does not parse the body as one JSON value, so it uses no {@code bound},
 *       {@code response}, {@code code} or {@code field}.
 * </ul>
 *
 * @param file the data file's name
 * @param json the case object
 */
public record ConformanceCase(String file, JsonNode json) {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** @return the case's name, unique across files */
    public String name() {
        return json.get("name").asText();
    }

    /**
     * Reads every case of the data files on the classpath under {@code conformance/}.
     *
     * @return the cases, file by file in name order, each file in its own order
     */
    public static List<ConformanceCase> all() {
        Path dir;
        try {
            dir = Path.of(ConformanceCase.class.getClassLoader().getResource("conformance").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return fromDirectory(dir);
    }

    /**
     * @param dir a directory of {@code *.json} data files
     * @return their cases, file by file in name order
     */
    public static List<ConformanceCase> fromDirectory(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ConformanceCase> out = new ArrayList<>();
        files.forEach((name, path) -> {
            try (InputStream in = Files.newInputStream(path)) {
                Iterator<JsonNode> it = MAPPER.readTree(in).elements();
                it.forEachRemaining(node -> out.add(new ConformanceCase(name, node)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        });
        return out;
    }
}
