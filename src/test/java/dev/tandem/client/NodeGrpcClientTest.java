package dev.tandem.client;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the Node.js gRPC client test ({@code src/test/node/client.test.mjs}, {@code node --test}) against
 * this test's running server: a foreign-language client built from the project's own {@code .proto}
 * files must get the answers the wire contract promises.
 *
 * <p>Steps: {@code npm ci} in {@code src/test/node} when {@code node_modules} is missing or older than
 * {@code package.json}/{@code package-lock.json}; the {@code google/api/*.proto} files that the protos
 * import are copied from this test's classpath (the proto-google-common-protos jar the server was
 * generated from) to {@code target/node-client/proto-include}; then {@code node --test} runs with
 * {@code TANDEM_GRPC_TARGET=host:port} of the server (the real port, also when
 * {@code quarkus.http.test-port=0} picks a random one) and {@code TANDEM_PROTO_INCLUDE}. Its output is
 * printed and kept in {@code target/node-client/*.log}; the test fails unless node exits with 0.
 *
 * <p>{@code TANDEM_NODE_TESTS} in the environment (e.g. {@code greeter}) reaches node unchanged and
 * limits which groups run; by default all do. Needs {@code node} (18 or newer) and {@code npm} on the
 * PATH; {@code .ci/run} installs them when missing.
 */
@QuarkusTest
@TestProfile(ClientProfile.class) // the demo rows, in a database no other test has changed
class NodeGrpcClientTest {

    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final Path PROTO_ROOT = Path.of("src", "main", "proto");
    private static final Path WORK_DIR = Path.of("target", "node-client");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern IMPORT =
            Pattern.compile("^\\s*import\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;", Pattern.MULTILINE);

    @TestHTTPResource("/")
    URL server;

    /**
     * The Node client gives each call a one-second deadline, and this test's application was just
     * started for its own profile: its first database query (Hibernate and the connection pool
     * warming up) took 1.0 to 1.8 s on a loaded 2-core machine. One REST read of the same rows
     * first, so that the client checks the answers, not cold-start latency.
     */
    @BeforeEach
    void warmUp() {
        given().get("/v1/users/1/orders").then().statusCode(200);
        given().get("/v1/users/1").then().statusCode(200);
    }

    @Test
    void nodeClientGetsTheContractedAnswers() throws Exception {
        Files.createDirectories(WORK_DIR);
        requireTool("node");
        requireTool("npm");
        installDependenciesIfStale();
        Path include = copyImportedProtos(WORK_DIR.resolve("proto-include"));

        String target = server.getHost() + ":" + server.getPort();
        Result node = run(
                List.of("node", "--test", "client.test.mjs"),
                // The example clients' 1 s deadline flakes on a loaded 2-core CI machine; 5 s still
                // catches a hang. Override with TANDEM_GRPC_DEADLINE_MS in the environment.
                Map.of("TANDEM_GRPC_TARGET", target, "TANDEM_PROTO_INCLUDE", include.toAbsolutePath().toString(),
                        "TANDEM_GRPC_DEADLINE_MS", System.getenv().getOrDefault("TANDEM_GRPC_DEADLINE_MS", "5000")),
                NODE_TIMEOUT,
                WORK_DIR.resolve("node-test.log"));
        System.out.println("node --test client.test.mjs (TANDEM_GRPC_TARGET=" + target + "):\n" + node.output());
        assertEquals(0, node.exitCode(), () -> "the Node gRPC client failed against " + target + ":\n" + node.output());
    }

    /** {@code npm ci} unless node_modules was installed after the last change of package*.json. */
    private static void installDependenciesIfStale() throws IOException, InterruptedException {
        Path installed = NODE_DIR.resolve("node_modules").resolve(".package-lock.json");
        if (Files.exists(installed)) {
            FileTime at = Files.getLastModifiedTime(installed);
            if (at.compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package.json"))) >= 0
                    && at.compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package-lock.json"))) >= 0) {
                return;
            }
        }
        Result npm = run(
                List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"),
                Map.of(),
                NPM_TIMEOUT,
                WORK_DIR.resolve("npm-ci.log"));
        assertEquals(0, npm.exitCode(), () -> "npm ci in " + NODE_DIR + " failed:\n" + npm.output());
    }

    /**
     * Copies every file the project's protos import, directly or not, that is neither one of them nor a
     * google/protobuf well-known type (proto-loader bundles those), from the classpath to {@code dir}.
     */
    private static Path copyImportedProtos(Path dir) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        try (Stream<Path> files = Files.walk(PROTO_ROOT)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".proto")).toList()) {
                todo.addAll(imports(Files.readString(p)));
            }
        }
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || name.startsWith("google/protobuf/") || Files.exists(PROTO_ROOT.resolve(name))) {
                continue;
            }
            try (InputStream in = cl.getResourceAsStream(name)) {
                assertNotNull(in, () -> name + " is imported by the protos but is not on the test classpath");
                Path out = dir.resolve(name);
                Files.createDirectories(out.getParent());
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                todo.addAll(imports(Files.readString(out)));
            }
        }
        return dir;
    }

    private static List<String> imports(String proto) {
        Matcher m = IMPORT.matcher(proto);
        return m.results().map(r -> r.group(1)).toList();
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

    private record Result(int exitCode, String output) {}

    /** Runs a command in {@link #NODE_DIR} with extra environment, output to {@code log}, killed after the timeout. */
    private static Result run(List<String> command, Map<String, String> env, Duration timeout, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true)
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
