package dev.tandem.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The generated parts of the Markdown documentation (README.md and docs/*.md): example blocks,
 * whose outputs {@code docs/examples.sh} writes by running their commands against a fresh Tandem,
 * and counts, which it computes from the sources. {@code DocsTest} uses the same parser to check
 * that every sample is generated and every count is right. Runs on its own as a Java single-file
 * program ({@code java src/test/java/dev/tandem/docs/DocExamples.java ...}; JDK only, no other class
 * of the project), which is how {@code docs/examples.sh} calls it.
 *
 * <h2>An example block</h2>
 *
 * A fenced {@code console} block on the line right after a marker comment:
 *
 * <pre>
 * &lt;!-- example --&gt;                 (or &lt;!-- example server=auth --&gt;)
 * ```console
 * $ curl -s localhost:8080/v1/greeter/World
 * {"message":"Hello World"}
 * ```
 * </pre>
 *
 * A line starting {@code "$ "} is a command; a command line ending with a backslash continues on the
 * next line. Everything else in the block is output and is rewritten: each command's standard output
 * and error as it printed them, then a blank line when more commands follow. The commands of one
 * block run in order in one {@code bash}, from the repository root, so {@code cd} and variables carry
 * over inside a block and never to the next. {@code localhost:8080} in a command is replaced by the
 * address of the block's server when it runs, and back in its output. Marker options:
 * {@code server=NAME}, one of {@link #SERVERS}: {@code default} (demo data, authentication off, as
 * {@code bin/run}), {@code auth} (demo data, authentication on, accepting the tokens of {@code
 * bin/dev-token}), {@code none} (the commands need no server). Each server has a scratch database
 * of its own, so the blocks that use it see each other's writes in file and block order.
 *
 * <p>Normalised, so that a run is repeatable: UUIDs that the block's commands do not contain (request
 * ids made by the server) become {@code 00000000-0000-4000-8000-00000000000N}, numbered by first
 * appearance in the block; RFC 3339 timestamps within two days of the run become {@value #NOW}.
 *
 * <h2>A count</h2>
 *
 * {@code <!--count:NAME-->155<!--/count-->} renders as the number; NAME is one of {@link #counts}.
 */
public final class DocExamples {

    /** The servers an example block may run against. */
    public static final Set<String> SERVERS = Set.of("default", "auth", "none");

    /** What a timestamp of the run's time is replaced with. */
    static final String NOW = "2026-01-01T12:00:00Z";

    /** The marker line of an example block. */
    public static final Pattern MARKER = Pattern.compile("^<!-- example((?: [a-z]+=[A-Za-z0-9_-]+)*) -->$");

    /** A count: {@code <!--count:NAME-->NUMBER<!--/count-->}. */
    public static final Pattern COUNT = Pattern.compile("<!--count:([a-z-]+)-->([0-9]+)<!--/count-->");

    private static final Pattern FENCE = Pattern.compile("^(```+|~~~+)\\s*([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})");
    private static final String SEPARATOR = "\u001eTANDEM-EXAMPLE-";

    private DocExamples() {
    }

    /**
     * A fenced code block.
     *
     * @param open line index (0-based) of the opening fence
     * @param close line index of the closing fence
     * @param language the info string's first word, or empty
     * @param marker the example marker's options when the line before the fence is one, else {@code null}
     */
    public record Fence(int open, int close, String language, Map<String, String> marker) {

        /** @return whether an example marker precedes the fence */
        public boolean marked() {
            return marker != null;
        }

        /** @return the block's server ({@code default} when the marker names none) */
        public String server() {
            return marker.getOrDefault("server", "default");
        }
    }

    /** A command of an example block: its source lines (with continuations) and its output lines. */
    public record Command(List<String> source, List<String> output) {

        /** @return the command as bash reads it */
        public String text() {
            return String.join("\n", source).substring(2);
        }
    }

    /**
     * @param lines a Markdown file's lines
     * @return every fenced block, in order
     * @throws IllegalArgumentException when a fence is not closed
     */
    public static List<Fence> fences(List<String> lines) {
        List<Fence> fences = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(1);
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).strip().equals(fence)) {
                close++;
            }
            if (close == lines.size()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": the fence " + fence + " is never closed");
            }
            Map<String, String> marker = null;
            if (i > 0) {
                Matcher m = MARKER.matcher(lines.get(i - 1));
                if (m.matches()) {
                    marker = new LinkedHashMap<>();
                    for (String option : m.group(1).strip().split(" ")) {
                        if (!option.isEmpty()) {
                            marker.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
                        }
                    }
                }
            }
            fences.add(new Fence(i, close, open.group(2), marker));
            i = close;
        }
        return fences;
    }

    /**
     * @param lines a Markdown file's lines
     * @param fence one of its example blocks
     * @return its commands with the output lines that follow each
     */
    public static List<Command> commands(List<String> lines, Fence fence) {
        List<Command> commands = new ArrayList<>();
        List<String> source = null;
        List<String> output = null;
        boolean continued = false;
        for (int i = fence.open() + 1; i < fence.close(); i++) {
            String line = lines.get(i);
            if (continued) {
                source.add(line);
            } else if (line.startsWith("$ ")) {
                source = new ArrayList<>();
                output = new ArrayList<>();
                source.add(line);
                commands.add(new Command(source, output));
            } else if (output != null) {
                output.add(line);
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": an example block starts with a command ($ ...)");
            }
            continued = line.endsWith("\\") && (continued || line.startsWith("$ "));
        }
        return commands;
    }

    /**
     * The numbers the docs may state in count markers, computed from the sources under {@code root}.
     *
     * <ul>
     *   <li>{@code conformance-cases}: cases in {@code src/test/resources/conformance/*.json} (the
     *       objects of each file's top-level array; see {@code ConformanceCase})</li>
     *   <li>{@code conformance-files}: those files</li>
     *   <li>{@code services}, {@code rpcs}: {@code service} and {@code rpc} declarations in {@code src/main/proto}</li>
     *   <li>{@code http-bindings}: HTTP bindings of those RPCs ({@code get:}, {@code post:}, ... and
     *       {@code custom} patterns in {@code google.api.http} options, additional bindings included)</li>
     *   <li>{@code test-classes}, {@code it-classes}: {@code *Test.java} and {@code *IT.java} under
     *       {@code src/test/java} (surefire and failsafe classes)</li>
     * </ul>
     */
    public static Map<String, Integer> counts(Path root) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        int cases = 0;
        int files = 0;
        for (Path f : list(root.resolve("src/test/resources/conformance"), ".json")) {
            files++;
            cases += topLevelObjects(Files.readString(f));
        }
        counts.put("conformance-cases", cases);
        counts.put("conformance-files", files);
        int services = 0;
        int rpcs = 0;
        int bindings = 0;
        for (Path f : list(root.resolve("src/main/proto"), ".proto")) {
            String proto = Files.readString(f).replaceAll("(?m)//.*$", "");
            services += occurrences(proto, Pattern.compile("(?m)^\\s*service\\s+\\w+\\s*\\{"));
            rpcs += occurrences(proto, Pattern.compile("(?m)^\\s*rpc\\s+\\w+\\s*\\("));
            bindings += occurrences(proto, Pattern.compile("\\b(get|put|post|delete|patch)\\s*:\\s*\"|\\bcustom\\s*:?\\s*\\{"));
        }
        counts.put("services", services);
        counts.put("rpcs", rpcs);
        counts.put("http-bindings", bindings);
        counts.put("test-classes", list(root.resolve("src/test/java"), "Test.java").size());
        counts.put("it-classes", list(root.resolve("src/test/java"), "IT.java").size());
        return counts;
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** @return how many objects the JSON array {@code json} holds (a scan that skips strings) */
    static int topLevelObjects(String json) {
        int depth = 0;
        int objects = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (c == '{' && depth == 1) {
                    objects++;
                }
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return objects;
    }

    private static int occurrences(String text, Pattern p) {
        int n = 0;
        for (Matcher m = p.matcher(text); m.find();) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ running the examples

    /**
     * {@code needs FILE...}: prints the servers the files' example blocks need, one a line.
     * {@code run [--check] [--server NAME=PORT]... FILE...}: runs every example block against the
     * server on PORT, rewrites outputs and counts (with {@code --check}: changes nothing, prints what
     * differs and exits 1 when anything does).
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Path> files = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        boolean check = false;
        String mode = args[0];
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--check" -> check = true;
                case "--server" -> {
                    String[] s = args[++i].split("=");
                    ports.put(s[0], Integer.parseInt(s[1]));
                }
                default -> files.add(Path.of(args[i]));
            }
        }
        if (mode.equals("needs")) {
            Set<String> servers = new LinkedHashSet<>();
            for (Path f : files) {
                for (Fence fence : fences(Files.readAllLines(f))) {
                    if (fence.marked() && !fence.server().equals("none")) {
                        servers.add(fence.server());
                    }
                }
            }
            servers.forEach(System.out::println);
            return;
        }
        Map<String, Integer> counts = counts(root);
        int differing = 0;
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            List<String> out = new ArrayList<>();
            int copied = 0;
            for (Fence fence : fences(lines)) {
                if (!fence.marked()) {
                    continue;
                }
                out.addAll(lines.subList(copied, fence.open() + 1));
                List<String> body = run(root, lines, fence, ports);
                List<String> old = lines.subList(fence.open() + 1, fence.close());
                if (!body.equals(old)) {
                    differing++;
                    System.err.println(f + ":" + (fence.open() + 1) + ": the example's output "
                            + (check ? "differs from a fresh run" : "was rewritten") + "\n" + diff(old, body));
                }
                out.addAll(body);
                copied = fence.close();
            }
            out.addAll(lines.subList(copied, lines.size()));
            for (int i = 0; i < out.size(); i++) {
                String line = out.get(i);
                Matcher m = COUNT.matcher(line);
                StringBuilder b = new StringBuilder();
                while (m.find()) {
                    Integer real = counts.get(m.group(1));
                    if (real == null) {
                        throw new IllegalArgumentException(f + ":" + (i + 1) + ": unknown count " + m.group(1) + " (known: " + counts.keySet() + ")");
                    }
                    if (real != Integer.parseInt(m.group(2))) {
                        differing++;
                        System.err.println(f + ":" + (i + 1) + ": count " + m.group(1) + " is " + real + ", not " + m.group(2));
                    }
                    m.appendReplacement(b, Matcher.quoteReplacement("<!--count:" + m.group(1) + "-->" + real + "<!--/count-->"));
                }
                m.appendTail(b);
                out.set(i, b.toString());
            }
            if (!check && !out.equals(lines)) {
                Files.write(f, out, StandardCharsets.UTF_8);
            }
        }
        if (differing > 0) {
            System.err.println(differing + " generated part(s) " + (check ? "differ: run docs/examples.sh to rewrite them" : "rewritten"));
            if (check) {
                System.exit(1);
            }
        }
    }

    /** @return the block's new body: each command with what it printed now */
    private static List<String> run(Path root, List<String> lines, Fence fence, Map<String, Integer> ports) throws Exception {
        List<Command> commands = commands(lines, fence);
        String server = fence.server();
        if (!SERVERS.contains(server)) {
            throw new IllegalArgumentException("line " + (fence.open()) + ": unknown server " + server + " (known: " + SERVERS + ")");
        }
        Integer port = ports.get(server);
        if (port == null && !server.equals("none")) {
            throw new IllegalStateException("no server " + server + " was started");
        }
        StringBuilder script = new StringBuilder("cd '" + root + "'\nexec 2>&1 </dev/null\n");
        for (int i = 0; i < commands.size(); i++) {
            String text = commands.get(i).text();
            if (port != null) {
                text = text.replace("localhost:8080", "localhost:" + port);
            }
            script.append("printf '\\n").append(SEPARATOR).append(i).append("\\n'\n").append(text).append('\n');
        }
        script.append("printf '\\n").append(SEPARATOR).append("end\\n'\n");
        Path file = Files.createTempFile("tandem-example", ".sh");
        String printed;
        try {
            Files.writeString(file, script);
            Process p = new ProcessBuilder("bash", "--noprofile", "--norc", file.toString()).redirectErrorStream(true).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("example at line " + (fence.open() + 1) + " did not finish");
            }
            printed = new String(bytes, StandardCharsets.UTF_8).replace("\r", "");
        } finally {
            Files.delete(file);
        }
        String commandText = String.join("\n", commands.stream().map(Command::text).toList());
        Map<String, String> uuids = new LinkedHashMap<>();
        List<String> body = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            String start = "\n" + SEPARATOR + i + "\n";
            String end = "\n" + SEPARATOR + (i + 1 < commands.size() ? String.valueOf(i + 1) : "end") + "\n";
            int from = printed.indexOf(start);
            int to = printed.indexOf(end, from + start.length());
            if (from < 0 || to < 0) {
                throw new IllegalStateException("example at line " + (fence.open() + 1) + ": command " + (i + 1)
                        + " ended the shell (exit?):\n" + printed);
            }
            String output = printed.substring(from + start.length(), to).replaceAll("\n+$", "");
            if (port != null) {
                output = output.replace("localhost:" + port, "localhost:8080").replace("127.0.0.1:" + port, "127.0.0.1:8080");
            }
            output = normalise(output, commandText, uuids);
            body.addAll(commands.get(i).source());
            if (!output.isEmpty()) {
                body.addAll(List.of(output.split("\n", -1)));
                if (i + 1 < commands.size()) {
                    body.add("");
                }
            }
        }
        return body;
    }

    private static String normalise(String output, String commands, Map<String, String> uuids) {
        Matcher u = UUID.matcher(output);
        StringBuilder b = new StringBuilder();
        while (u.find()) {
            String id = u.group();
            String replacement = commands.contains(id) ? id
                    : uuids.computeIfAbsent(id.toLowerCase(), k -> String.format("00000000-0000-4000-8000-%012d", uuids.size() + 1));
            u.appendReplacement(b, replacement);
        }
        u.appendTail(b);
        Matcher t = TIMESTAMP.matcher(b.toString());
        StringBuilder c = new StringBuilder();
        Instant now = Instant.now();
        while (t.find()) {
            String replacement = t.group();
            try {
                Instant at = OffsetDateTime.parse(t.group()).toInstant();
                if (Duration.between(at, now).abs().compareTo(Duration.ofDays(2)) < 0) {
                    replacement = NOW;
                }
            } catch (DateTimeParseException notOne) {
                // left as it is
            }
            t.appendReplacement(c, Matcher.quoteReplacement(replacement));
        }
        t.appendTail(c);
        return c.toString();
    }

    private static String diff(List<String> old, List<String> now) {
        StringBuilder d = new StringBuilder();
        for (String l : old) {
            if (!now.contains(l)) {
                d.append("  - ").append(l).append('\n');
            }
        }
        for (String l : now) {
            if (!old.contains(l)) {
                d.append("  + ").append(l).append('\n');
            }
        }
        return d.length() == 0 ? "  (same lines, other order or spacing)\n" : d.toString();
    }
}
