package dev.tandem.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import dev.tandem.docs.DocExamples.Command;
import dev.tandem.docs.DocExamples.Fence;
import dev.tandem.error.HttpStatusMapping;
import dev.tandem.k8s.AppConfiguration;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation (README.md and docs/*.md) cannot drift from the code. Every sample output is
 * generated: each {@code console} block and each {@code $ } prompt sits in an example block of
 * {@link DocExamples} (whose outputs {@code docs/examples.sh} writes from a fresh service and {@code
 * DocsExamplesIT} checks); every count marker holds the code's number, and no count is written
 * without one; relative links and their {@code #anchors} resolve; the {@code google.rpc.Code} -> HTTP
 * table of docs/api.md is {@link HttpStatusMapping}'s; every {@code TANDEM_*} variable and {@code
 * tandem.*} property the docs name is one the application or a script reads; the README stays under
 * 200 lines.
 */
class DocsTest {

    private static final Path ROOT = Path.of("");

    /**
     * Link targets that another change is about to add: a link to one is accepted while it does not
     * exist, and checked like any other once it does. {@code docs/architecture.md}: the lead's
     * (issue 10, item 6).
     */
    private static final Set<String> PENDING = Set.of();

    /**
     * Records of one run (dated, with the commit it ran at), whose numbers are that run's, not the
     * code's of today: {@code conformance/run-grpc-gateway.sh}'s comparison. Exempt from the rule
     * that a count is a count marker, and from the variable and property check (it quotes that run's
     * messages).
     */
    private static final Set<String> RUN_RECORDS = Set.of("conformance-grpc-gateway.md");

    /** Counts written as prose that must be count markers instead. */
    private static final Pattern BARE_COUNT = Pattern.compile(
            "\\b\\d+ (?:conformance )?(?:cases|RPCs|services|HTTP bindings|test classes|`\\*Test` classes|`\\*IT` classes)\\b");

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> d = Files.list(ROOT.resolve("docs"))) {
            d.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** @return the lines of {@code file} outside fenced blocks, with inline code removed (null for fenced lines) */
    private static List<String> prose(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        for (Fence f : DocExamples.fences(lines)) {
            for (int i = f.open(); i <= f.close(); i++) {
                out.set(i, null);
            }
        }
        return out;
    }

    @Test
    void everySampleIsAnExampleBlock() throws IOException {
        int examples = 0;
        for (Path file : docs()) {
            List<String> lines = Files.readAllLines(file);
            for (Fence f : DocExamples.fences(lines)) {
                String where = file + ":" + (f.open() + 1);
                boolean prompt = lines.subList(f.open() + 1, f.close()).stream().anyMatch(l -> l.startsWith("$ "));
                if (f.marked()) {
                    examples++;
                    assertEquals("console", f.language(), where + ": an example block is a console block");
                    assertTrue(DocExamples.SERVERS.contains(f.server()), where + ": server " + f.server() + " is one of " + DocExamples.SERVERS);
                    List<Command> commands = DocExamples.commands(lines, f);
                    assertFalse(commands.isEmpty(), where + ": an example runs a command");
                } else {
                    assertFalse(f.language().equals("console") || prompt, where
                            + ": a block with commands and output must be generated: put <!-- example --> on the line before it and run docs/examples.sh");
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("<!-- example")) {
                    int line = i;
                    assertTrue(DocExamples.MARKER.matcher(lines.get(i)).matches()
                            && DocExamples.fences(lines).stream().anyMatch(f -> f.open() == line + 1),
                            file + ":" + (i + 1) + ": an example marker is <!-- example [server=NAME] --> right before a ```console block");
                }
            }
        }
        assertTrue(examples >= 1, "the docs have example blocks");
    }

    @Test
    void everyCountIsTheCodes() throws IOException {
        Map<String, Integer> counts = DocExamples.counts(ROOT);
        Set<String> used = new HashSet<>();
        for (Path file : docs()) {
            List<String> prose = prose(Files.readAllLines(file));
            for (int i = 0; i < prose.size(); i++) {
                String line = prose.get(i);
                if (line == null) {
                    continue;
                }
                Matcher m = DocExamples.COUNT.matcher(line);
                while (m.find()) {
                    String where = file + ":" + (i + 1);
                    assertTrue(counts.containsKey(m.group(1)), where + ": count " + m.group(1) + " is one of " + counts.keySet());
                    assertEquals(counts.get(m.group(1)), Integer.parseInt(m.group(2)),
                            where + ": count " + m.group(1) + " (run docs/examples.sh to rewrite it)");
                    used.add(m.group(1));
                }
                Matcher bare = BARE_COUNT.matcher(m.replaceAll("").replaceAll("`[^`]*`", "``"));
                assertFalse(!RUN_RECORDS.contains(file.getFileName().toString()) && bare.find(), () -> file + ": a count without a count marker (<!--count:NAME-->N<!--/count-->): " + line);
            }
        }
        assertTrue(used.containsAll(Set.of("conformance-cases", "services", "rpcs", "http-bindings")), "the docs state " + used);
    }

    /** The counts that the docs take from the protos' text agree with the compiled descriptors. */
    @Test
    void protoCountsAgreeWithTheDescriptors() throws IOException {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        registry.add(AnnotationsProto.http);
        FileDescriptorSet set;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/tandem/api-descriptor-set.binpb")) {
            set = FileDescriptorSet.parseFrom(in, registry);
        }
        Set<String> own = new HashSet<>();
        try (Stream<Path> protos = Files.walk(ROOT.resolve("src/main/proto"))) {
            protos.filter(p -> p.toString().endsWith(".proto"))
                    .forEach(p -> own.add(ROOT.resolve("src/main/proto").relativize(p).toString().replace('\\', '/')));
        }
        int services = 0;
        int rpcs = 0;
        int bindings = 0;
        for (FileDescriptorProto f : set.getFileList()) {
            if (!own.contains(f.getName())) {
                continue;
            }
            for (ServiceDescriptorProto s : f.getServiceList()) {
                services++;
                for (MethodDescriptorProto m : s.getMethodList()) {
                    rpcs++;
                    if (m.getOptions().hasExtension(AnnotationsProto.http)) {
                        HttpRule rule = m.getOptions().getExtension(AnnotationsProto.http);
                        bindings += 1 + rule.getAdditionalBindingsCount();
                    }
                }
            }
        }
        Map<String, Integer> counts = DocExamples.counts(ROOT);
        assertEquals(services, counts.get("services"), "services");
        assertEquals(rpcs, counts.get("rpcs"), "rpcs");
        assertEquals(bindings, counts.get("http-bindings"), "http-bindings");
    }

    @Test
    void relativeLinksAndAnchorsResolve() throws IOException {
        for (Path file : docs()) {
            List<String> prose = prose(Files.readAllLines(file));
            for (int i = 0; i < prose.size(); i++) {
                String line = prose.get(i);
                if (line == null) {
                    continue;
                }
                Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    String where = file + ":" + (i + 1) + ": " + target;
                    int hash = target.indexOf('#');
                    String path = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(path).normalize();
                    String relative = ROOT.toAbsolutePath().relativize(resolved.toAbsolutePath()).toString().replace('\\', '/');
                    if (PENDING.contains(relative) && !Files.exists(resolved)) {
                        continue;
                    }
                    assertTrue(Files.exists(resolved), where + ": no such file");
                    if (hash >= 0) {
                        assertTrue(resolved.toString().endsWith(".md"), where + ": an anchor into a Markdown file");
                        assertTrue(anchors(Files.readAllLines(resolved)).contains(target.substring(hash + 1)),
                                where + ": no such heading (anchors: " + anchors(Files.readAllLines(resolved)) + ")");
                    }
                }
            }
        }
    }

    /** Every repository path the docs name in a code span ({@code bin/run}, {@code src/main/proto}) exists. */
    @Test
    void everyPathNamedExists() throws IOException {
        Pattern path = Pattern.compile("`((?:bin|bench|conformance|docs|k8s|src|\\.ci)/[A-Za-z0-9_./-]*[A-Za-z0-9_])[^`]*`");
        for (Path file : docs()) {
            if (RUN_RECORDS.contains(file.getFileName().toString())) {
                continue;
            }
            List<String> prose = prose(Files.readAllLines(file));
            for (int i = 0; i < prose.size(); i++) {
                if (prose.get(i) == null) {
                    continue;
                }
                for (Matcher m = path.matcher(prose.get(i)); m.find();) {
                    String named = m.group(1);
                    if (named.contains("*")) {
                        continue;
                    }
                    assertTrue(Files.exists(ROOT.resolve(named)), file + ":" + (i + 1) + ": " + named + " does not exist");
                }
            }
        }
    }

    /** @return GitHub's anchors of the file's headings: lower case, punctuation dropped, spaces as hyphens */
    static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        List<String> prose = prose(lines);
        for (String line : prose) {
            Matcher h = line == null ? null : HEADING.matcher(line);
            if (h != null && h.matches()) {
                anchors.add(h.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void theErrorTableIsHttpStatusMapping() throws IOException {
        Pattern row = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d{3}) \\|$");
        Map<Status.Code, Integer> table = new EnumMap<>(Status.Code.class);
        for (String line : Files.readAllLines(ROOT.resolve("docs/api.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                table.put(Status.Code.valueOf(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        assertEquals(Set.of(Status.Code.values()), table.keySet(), "docs/api.md lists every google.rpc.Code");
        table.forEach((code, http) -> assertEquals(HttpStatusMapping.httpStatus(code), http, "docs/api.md: " + code));
    }

    @Test
    void everyVariableAndPropertyNamedIsRead() throws IOException {
        Set<String> known = new AppConfiguration().knownEnvNames();
        StringBuilder scripts = new StringBuilder();
        for (String dir : List.of("bin", ".ci", "docs", "bench", "conformance", "src/test")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md"))
                        .filter(p -> !p.toString().contains("node_modules")).filter(p -> !p.toString().contains("/target/"))
                        .filter(p -> !p.toString().endsWith(".png")).toList()) {
                    try {
                        scripts.append(Files.readString(p)).append('\n');
                    } catch (java.nio.charset.MalformedInputException binary) {
                        // a binary file (a build output, an image): it reads no variable by name
                    }
                }
            }
        }
        Pattern env = Pattern.compile("\\bTANDEM_[A-Z0-9_]*[A-Z0-9]\\b");
        Pattern property = Pattern.compile("(?<![\\w.])tandem\\.[a-z0-9.-]*[a-z0-9]\\b");
        for (Path file : docs()) {
            if (RUN_RECORDS.contains(file.getFileName().toString())) {
                continue; // quotes the messages of that run
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String where = file + ":" + (i + 1);
                for (Matcher m = env.matcher(lines.get(i)); m.find();) {
                    String name = m.group();
                    if (name.endsWith("_") || name.equals("TANDEM_TRANSCODING")) {
                        continue;
                    }
                    assertTrue(known.contains(name) || scripts.indexOf(name) >= 0,
                            where + ": " + name + " is read neither by the application nor by a script or test");
                }
                for (Matcher m = property.matcher(lines.get(i)); m.find();) {
                    String name = m.group();
                    if (name.startsWith("tandem.dev") || name.equals("tandem.transcoding")
                            || Files.isDirectory(ROOT.resolve("src/test/proto/tandem").resolve(name.split("\\.")[1]))
                            || Files.isDirectory(ROOT.resolve("src/main/proto/tandem").resolve(name.split("\\.")[1]))) {
                        continue; // the ErrorInfo domain; a prefix; a proto package (tandem.conformance.v1, tandem.api)
                    }
                    assertTrue(known.contains(AppConfiguration.envName(name)), where + ": " + name + " is no property of the application");
                }
            }
        }
    }

    @Test
    void theReadmeIsShort() throws IOException {
        int lines = Files.readAllLines(ROOT.resolve("README.md")).size();
        assertTrue(lines < 200, "README.md has " + lines + " lines; the rest belongs in docs/");
        if (!Files.exists(ROOT.resolve(".ci/run"))) {
            fail(".ci/run is missing");
        }
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("./mvnw -B verify"), "README shows the test command .ci/run runs");
    }
}
