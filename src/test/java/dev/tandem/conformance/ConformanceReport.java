package dev.tandem.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every conformance case against one or more servers and writes what happened, for comparing
 * Tandem with a peer transcoder (see {@code conformance/run-grpc-gateway.sh}).
 *
 * <p>Usage: {@code ConformanceReport OUT_DIR LABEL=TARGET...}, where each {@code TARGET} is either a
 * base URL ({@code http://127.0.0.1:8081}: the cases run against it now) or a results file an
 * earlier run wrote (it is read back). For every target run now it writes {@code
 * OUT_DIR/LABEL.json}; for all targets together it writes {@code OUT_DIR/report.md}: a summary per
 * target, a table of every case with each target's outcome, and a table of the cases whose outcomes
 * differ between the first target and any other (passed on one and failed on the other, or a
 * different HTTP status). It exits 0 whether or not cases fail; 2 on a usage error.
 *
 * <p>The results file: {@code {"target", "baseUrl", "startedAt", "cases", "passed", "results": [
 * {"file", "name", "method", "path", "expectedStatus", "status", "passed", "problems": [...],
 * "body"} ]}}, with bodies cut to 2,000 characters.
 */
public final class ConformanceReport {

    private static final int MAX_BODY = 2000;

    private ConformanceReport() {}

    /**
     * @param args {@code OUT_DIR LABEL=TARGET...}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ConformanceReport OUT_DIR LABEL=BASE_URL|LABEL=RESULTS.json ...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        List<ObjectNode> targets = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("not LABEL=TARGET: " + args[i]);
                System.exit(2);
            }
            String label = args[i].substring(0, eq);
            String target = args[i].substring(eq + 1);
            ObjectNode results;
            if (target.startsWith("http://") || target.startsWith("https://")) {
                results = run(label, URI.create(target.replaceAll("/$", "")));
                write(out.resolve(label + ".json"), results);
            } else {
                results = (ObjectNode) ConformanceCase.MAPPER.readTree(Path.of(target).toFile());
            }
            System.out.printf("%s: %d of %d cases passed%n", label, results.get("passed").asInt(),
                    results.get("cases").asInt());
            targets.add(results);
        }
        Files.writeString(out.resolve("report.md"), markdown(targets));
        System.out.println("wrote " + out.resolve("report.md"));
    }

    /**
     * Runs every case on the classpath against one server.
     *
     * @param label the target's name in reports
     * @param base its base URL, without a trailing slash
     * @return the results document described in the class comment
     */
    public static ObjectNode run(String label, URI base) {
        ConformanceRunner runner = new ConformanceRunner(base);
        ObjectNode doc = ConformanceCase.MAPPER.createObjectNode();
        doc.put("target", label).put("baseUrl", base.toString()).put("startedAt", Instant.now().toString());
        ArrayNode results = ConformanceCase.MAPPER.createArrayNode();
        int passed = 0;
        for (ConformanceCase c : ConformanceCase.all()) {
            ConformanceRunner.Result r = runner.run(c);
            passed += r.passed() ? 1 : 0;
            JsonNode req = c.json().get("request");
            ObjectNode o = results.addObject();
            o.put("file", c.file()).put("name", c.name())
                    .put("method", req.get("method").asText()).put("path", req.get("path").asText())
                    .put("expectedStatus", c.json().get("status").asInt())
                    .put("status", r.status()).put("passed", r.passed());
            ArrayNode problems = o.putArray("problems");
            r.problems().forEach(problems::add);
            String body = r.body() == null ? "" : r.body();
            o.put("body", body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "..." : body);
        }
        doc.put("cases", results.size()).put("passed", passed).set("results", results);
        return doc;
    }

    /**
     * @param file where to write
     * @param results a results document
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, ObjectNode results) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ConformanceCase.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
    }

    static String markdown(List<ObjectNode> targets) {
        StringBuilder md = new StringBuilder("# Conformance report\n\n");
        md.append("| target | base URL | run at | passed |\n| --- | --- | --- | --- |\n");
        for (ObjectNode t : targets) {
            md.append("| ").append(t.get("target").asText()).append(" | ").append(t.get("baseUrl").asText())
                    .append(" | ").append(t.get("startedAt").asText()).append(" | ")
                    .append(t.get("passed").asInt()).append(" of ").append(t.get("cases").asInt()).append(" |\n");
        }
        List<Map<String, JsonNode>> byTarget = new ArrayList<>();
        for (ObjectNode t : targets) {
            Map<String, JsonNode> m = new LinkedHashMap<>();
            t.get("results").forEach(r -> m.put(r.get("name").asText(), r));
            byTarget.add(m);
        }
        Map<String, JsonNode> first = byTarget.get(0);
        if (targets.size() > 1) {
            StringBuilder diff = new StringBuilder();
            int n = 0;
            for (Map.Entry<String, JsonNode> e : first.entrySet()) {
                boolean differs = false;
                for (int i = 1; i < byTarget.size(); i++) {
                    JsonNode other = byTarget.get(i).get(e.getKey());
                    differs |= other == null
                            || other.get("passed").asBoolean() != e.getValue().get("passed").asBoolean()
                            || other.get("status").asInt() != e.getValue().get("status").asInt();
                }
                if (differs) {
                    n++;
                    diff.append(row(e.getValue(), byTarget, e.getKey()));
                }
            }
            md.append("\n## Cases whose outcomes differ (").append(n).append(")\n\n");
            md.append("Differ: passed on one target and failed on another, or answered another HTTP status.\n\n");
            md.append(header(targets)).append(diff);
        }
        md.append("\n## Every case\n\n").append(header(targets));
        for (Map.Entry<String, JsonNode> e : first.entrySet()) {
            md.append(row(e.getValue(), byTarget, e.getKey()));
        }
        return md.toString();
    }

    private static String header(List<ObjectNode> targets) {
        StringBuilder h = new StringBuilder("| case | request | expected |");
        StringBuilder sep = new StringBuilder("| --- | --- | --- |");
        for (ObjectNode t : targets) {
            h.append(' ').append(t.get("target").asText()).append(" |");
            sep.append(" --- |");
        }
        return h.append('\n').append(sep).append('\n').toString();
    }

    private static String row(JsonNode first, List<Map<String, JsonNode>> byTarget, String name) {
        StringBuilder r = new StringBuilder("| ").append(cell(first.get("file").asText() + ": " + name))
                .append(" | `").append(cell(first.get("method").asText() + " " + first.get("path").asText()))
                .append("` | ").append(first.get("expectedStatus").asInt()).append(" |");
        for (Map<String, JsonNode> t : byTarget) {
            r.append(' ').append(cell(outcome(t.get(name)))).append(" |");
        }
        return r.append('\n').toString();
    }

    /**
     * @param r one case's result, or {@code null}
     * @return e.g. {@code pass (200)} or {@code FAIL (404): status 404, expected 200}
     */
    static String outcome(JsonNode r) {
        if (r == null) {
            return "not run";
        }
        if (r.get("passed").asBoolean()) {
            return "pass (" + r.get("status").asInt() + ")";
        }
        String problem = r.get("problems").size() > 0 ? r.get("problems").get(0).asText() : "";
        if (problem.length() > 160) {
            problem = problem.substring(0, 160) + "...";
        }
        return "FAIL (" + r.get("status").asInt() + "): " + problem;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
