package dev.tandem;

import dev.tandem.container.Dockerfile;
import dev.tandem.container.Dockerfile.Instruction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged application (what {@code ./mvnw package} built: the fast-jar, or the native
 * executable with {@code -Dnative}, as named in {@code target/quarkus-artifact.properties}) started
 * as a process of its own, for tests that need to signal it. A jar is started the way {@code
 * src/main/docker/Dockerfile.jvm} starts it: its {@code COPY --from=build} lines are replayed into a
 * {@code deployments} directory and {@code java -jar deployments/quarkus-run.jar} runs from there.
 * Standard output and error go to {@code app.log} in the work directory (see {@link #lines()}).
 */
public final class PackagedApp implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private PackagedApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** @return a TCP port that was free a moment ago on 127.0.0.1 */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts the packaged application.
     *
     * @param workDir an empty directory for the jar layout and the log
     * @param port the HTTP port (REST, gRPC, health) to give it ({@code QUARKUS_HTTP_PORT})
     * @param env environment variables on top of this process's
     * @return the running application (not necessarily ready yet, see {@link #awaitReady})
     * @throws IOException when there is no packaged application or it cannot start
     */
    public static PackagedApp start(Path workDir, int port, Map<String, String> env) throws IOException {
        Properties artifact = new Properties();
        Path target = Path.of("target");
        try (InputStream in = Files.newInputStream(target.resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        if ("native".equals(artifact.getProperty("type"))) {
            command.add(target.resolve(artifact.getProperty("path")).toAbsolutePath().toString());
        } else {
            Path deployments = jvmImageLayout(workDir.resolve("deployments"));
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
            command.add("-jar");
            command.add(deployments.resolve("quarkus-run.jar").toAbsolutePath().toString());
        }
        Path log = workDir.resolve("app.log");
        // straight to a file: a pipe that the test reads too slowly would block the application's logging
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return new PackagedApp(pb.start(), port, log);
    }

    /**
     * Replays the {@code COPY --from=build ... /deployments/...} lines of {@code Dockerfile.jvm},
     * mapping its build directory to this project's, into {@code deployments}.
     *
     * @return {@code deployments}
     */
    static Path jvmImageLayout(Path deployments) throws IOException {
        Dockerfile d = Dockerfile.read(Path.of("src", "main", "docker", "Dockerfile.jvm"));
        String buildDir = d.stage("build").last("WORKDIR").args().get(0);
        deleteTree(deployments);
        for (Instruction copy : d.image().all("COPY")) {
            List<String> args = copy.args();
            String src = args.get(0);
            String dest = args.get(args.size() - 1);
            if (!src.startsWith(buildDir + "/") || !dest.startsWith("/deployments/")) {
                throw new IllegalStateException("unexpected COPY in Dockerfile.jvm: " + copy.raw());
            }
            Path from = Path.of(src.substring(buildDir.length() + 1));
            Path to = deployments.resolve(dest.substring("/deployments/".length()));
            if (from.getFileName().toString().contains("*")) {
                try (DirectoryStream<Path> matches = Files.newDirectoryStream(from.getParent(), from.getFileName().toString())) {
                    Files.createDirectories(to);
                    for (Path m : matches) {
                        Files.copy(m, to.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                copyTree(from, to);
            }
        }
        return deployments;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return the HTTP port */
    public int port() {
        return port;
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return every line the application printed so far (standard output and error) */
    public List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param path e.g. {@code /q/health/ready}
     * @return the HTTP status of a GET, or -1 when the connection failed
     */
    public int get(String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException when the process ends or the time is up first
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited with " + process.exitValue() + ":\n"
                        + String.join("\n", lines()));
            }
            if (get("/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not ready after " + timeout + ":\n" + String.join("\n", lines()));
    }

    /** Sends SIGTERM ({@link Process#destroy()} does on Linux), as Kubernetes does to stop a pod. */
    public void sigterm() {
        process.destroy();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
