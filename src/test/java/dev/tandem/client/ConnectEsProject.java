package dev.tandem.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Node project of the Connect-ES client tests, {@code src/test/connect}: installs its npm
 * dependencies ({@code npm ci} when {@code node_modules} is older than {@code package*.json}),
 * generates the TypeScript-free ES modules of the project's protos into {@code src/test/connect/gen}
 * with {@code protoc} (Maven Central's {@code com.google.protobuf:protoc} of the build's {@code
 * protoc.version}, from the local Maven repository where the build put it) and the {@code
 * protoc-gen-es} plugin of the npm dependencies, and runs node there.
 *
 * <p>The imports of the protos ({@code google/api}, {@code google/rpc}, {@code buf/validate}, and the
 * well-known types protoc needs to read them) are copied from the test classpath (the jars the server
 * was generated from) to {@code target/connect-client/proto-include}: no Buf Schema Registry.
 * Modules are generated for every file but the well-known types, which {@code @bufbuild/protobuf}
 * ships.
 */
final class ConnectEsProject {

    static final Path DIR = Path.of("src", "test", "connect");
    static final Path WORK = Path.of("target", "connect-client");
    private static final Path PROTO_ROOT = Path.of("src", "main", "proto");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;", Pattern.MULTILINE);

    private static boolean ready;

    private ConnectEsProject() {
    }

    /** npm dependencies and generated code, once per test JVM. */
    static synchronized void prepare() throws IOException, InterruptedException {
        if (ready) {
            return;
        }
        Files.createDirectories(WORK);
        requireTool("node");
        requireTool("npm");
        installDependenciesIfStale();
        generate();
        ready = true;
    }

    private static void installDependenciesIfStale() throws IOException, InterruptedException {
        Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
        if (Files.exists(installed)) {
            FileTime at = Files.getLastModifiedTime(installed);
            if (at.compareTo(Files.getLastModifiedTime(DIR.resolve("package.json"))) >= 0
                    && at.compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0) {
                return;
            }
        }
        // esbuild's install script only checks its platform binary, which npm installs as an optional dependency
        Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(), NPM_TIMEOUT,
                WORK.resolve("npm-ci.log"));
        assertEquals(0, npm.exitCode(), () -> "npm ci in " + DIR + " failed:\n" + npm.output());
    }

    private static void generate() throws IOException, InterruptedException {
        Path include = WORK.resolve("proto-include");
        Set<String> own = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(PROTO_ROOT)) {
            files.filter(f -> f.toString().endsWith(".proto"))
                    .forEach(f -> own.add(PROTO_ROOT.relativize(f).toString().replace('\\', '/')));
        }
        Set<String> imported = copyImports(own, include);
        imported.add("google/rpc/error_details.proto");
        copyImports(Set.of("google/rpc/error_details.proto"), include);
        Path gen = DIR.resolve("gen");
        if (Files.exists(gen)) {
            try (Stream<Path> old = Files.walk(gen)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(gen);
        List<String> command = new ArrayList<>(List.of(protoc().toAbsolutePath().toString(),
                "-I", PROTO_ROOT.toAbsolutePath().toString(), "-I", include.toAbsolutePath().toString(),
                "--plugin=protoc-gen-es=" + DIR.resolve("node_modules/.bin/protoc-gen-es").toAbsolutePath(),
                "--es_out=" + gen.toAbsolutePath(), "--es_opt=target=js,import_extension=js"));
        command.addAll(own);
        imported.stream().filter(f -> !f.startsWith("google/protobuf/")).forEach(command::add);
        Result protoc = run(command, Map.of(), NPM_TIMEOUT, WORK.resolve("protoc.log"));
        assertEquals(0, protoc.exitCode(), () -> String.join(" ", command) + " failed:\n" + protoc.output());
    }

    /** Copies what the files import, transitively, from the classpath; returns the names copied. */
    private static Set<String> copyImports(Set<String> roots, Path dir) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        for (String f : roots) {
            Path own = PROTO_ROOT.resolve(f);
            todo.addAll(imports(Files.exists(own) ? Files.readString(own) : read(f, dir)));
        }
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (Files.exists(PROTO_ROOT.resolve(name)) || !seen.add(name)) {
                continue;
            }
            todo.addAll(imports(read(name, dir)));
        }
        return seen;
    }

    private static String read(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        if (!Files.exists(out)) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
                assertNotNull(in, () -> name + " is imported by the protos but is not on the test classpath");
                Files.createDirectories(out.getParent());
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return Files.readString(out);
    }

    private static List<String> imports(String proto) {
        Matcher m = IMPORT.matcher(proto);
        return m.results().map(r -> r.group(1)).toList();
    }

    /** Maven Central's protoc of the pom's {@code protoc.version}, made executable in target/. */
    private static Path protoc() throws IOException {
        Matcher v = Pattern.compile("<protoc\\.version>([^<]+)</protoc\\.version>").matcher(Files.readString(Path.of("pom.xml")));
        if (!v.find()) {
            fail("pom.xml has no protoc.version");
        }
        String version = v.group(1);
        Path repo = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path exe = repo.resolve(Path.of("com", "google", "protobuf", "protoc", version,
                "protoc-" + version + "-linux-x86_64.exe"));
        if (!Files.exists(exe)) {
            fail(exe + " is missing: the build downloads it (./mvnw generate-sources) before the tests run");
        }
        Path copy = WORK.resolve("protoc");
        Files.copy(exe, copy, StandardCopyOption.REPLACE_EXISTING);
        copy.toFile().setExecutable(true);
        return copy;
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // reported below
        }
        fail("'" + tool + "' is not on the PATH: install Node.js 18 or newer with npm"
                + " (Debian: apt-get install -y nodejs npm; .ci/run does it)");
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in {@link #DIR} with extra environment, output to {@code log}, killed after the timeout. */
    static Result run(List<String> command, Map<String, String> env, Duration timeout, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
