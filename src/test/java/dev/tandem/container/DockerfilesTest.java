package dev.tandem.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.container.Dockerfile.Instruction;
import dev.tandem.container.Dockerfile.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offline checks of {@code src/main/docker/Dockerfile.*}: no Docker engine runs on the build
 * machines, so these images are never built here (docs/operations.md, "Container images"). What can be checked
 * without one: every base image is pinned; the build stage builds from files that exist and that
 * {@code .dockerignore} lets into the context, with the Maven wrapper and the right profile; the
 * image stage is a runtime image (no JDK, no Maven, no builder, nothing installed), takes only the
 * build's output, runs as a non-root user, and exposes the application's HTTP port. That the JVM
 * image's file layout starts is checked by {@code GracefulShutdownIT}, which runs the packaged jar
 * from exactly the paths {@code Dockerfile.jvm} copies.
 */
class DockerfilesTest {

    private static final Path DOCKER = Path.of("src", "main", "docker");
    private static final Set<String> RUNTIME_IMAGES = Set.of(
            "registry.access.redhat.com/ubi9/openjdk-17-runtime",
            "registry.access.redhat.com/ubi9/ubi-minimal",
            "quay.io/quarkus/quarkus-micro-image");
    private static final Pattern BUILD_TOOLS = Pattern.compile("\\b(mvnw?|gradle|javac|native-image|microdnf|dnf|yum|apt-get|apk)\\b");

    private static int httpPort() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void buildStageBuildsFromTheContext(String name) throws IOException {
        Dockerfile d = Dockerfile.read(DOCKER.resolve(name));
        DockerIgnore ignore = DockerIgnore.read(Path.of(".dockerignore"));
        assertEquals(2, d.stages().size(), "a build stage and the image");
        Stage build = d.stage("build");
        for (Stage s : d.stages()) {
            assertTrue(s.image().matches("[^:@]+[:@][^:]+") && !s.image().endsWith(":latest"),
                    () -> name + ": base image pinned: " + s.image());
        }
        for (Instruction copy : build.all("COPY")) {
            assertTrue(copy.flag("from") == null, () -> name + ": the build stage copies from the context: " + copy.raw());
            for (String src : copy.args().subList(0, copy.args().size() - 1)) {
                Path p = Path.of(src);
                assertTrue(Files.exists(p), () -> name + ": " + src + " exists in the repository");
                assertTrue(ignore.included(p), () -> name + ": .dockerignore lets " + src + " into the context");
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        assertTrue(files.filter(Files::isRegularFile).anyMatch(ignore::included),
                                () -> name + ": files under " + src + " reach the context");
                    }
                }
            }
        }
        assertTrue(ignore.included(Path.of("src/main/proto/helloworld/helloworld.proto")));
        assertTrue(ignore.included(Path.of("src/main/resources/db/migration/V1__schema.sql")));
        assertFalse(ignore.included(Path.of("target/quarkus-app/quarkus-run.jar")), "no stale build output in the context");
        assertFalse(ignore.included(Path.of("src/test/node/node_modules/x/package.json")));
        assertFalse(ignore.included(Path.of(".git/HEAD")));

        List<String> runs = build.all("RUN").stream().map(Instruction::raw).toList();
        String mvn = runs.stream().filter(r -> r.contains(" package")).findFirst().orElse(null);
        assertNotNull(mvn, () -> name + ": the build stage packages: " + runs);
        assertTrue(mvn.startsWith("RUN ./mvnw "), () -> name + ": with the project's Maven wrapper: " + mvn);
        assertEquals(name.contains("native"), mvn.contains(" -Dnative"), () -> name + ": the native profile iff native: " + mvn);
        assertTrue(build.image().contains(name.contains("native") ? "mandrel-builder-image" : "openjdk-17:"),
                () -> name + ": builder image " + build.image());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void imageIsARuntimeImageRunningAsNonRootOnTheHttpPort(String name) throws IOException {
        Dockerfile d = Dockerfile.read(DOCKER.resolve(name));
        Stage image = d.image();
        String repo = image.image().substring(0, image.image().lastIndexOf(':'));
        assertTrue(RUNTIME_IMAGES.contains(repo), () -> name + ": runtime base image, no JDK or builder: " + image.image());
        for (Instruction i : image.instructions()) {
            if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
                assertEquals("build", i.flag("from"), () -> name + ": the image takes only the build's output: " + i.raw());
            }
            if (i.keyword().equals("RUN")) {
                assertFalse(BUILD_TOOLS.matcher(i.raw()).find(), () -> name + ": nothing built or installed in the image: " + i.raw());
            }
        }
        Instruction user = image.last("USER");
        assertNotNull(user, () -> name + ": USER set in the image");
        String uid = user.args().get(0).split(":")[0];
        assertFalse(uid.equals("root") || uid.equals("0"), () -> name + ": non-root user, was " + uid);
        assertTrue(uid.matches("\\d+"), () -> name + ": numeric user, so runAsNonRoot can verify it: " + uid);
        int userAt = image.instructions().indexOf(user);
        Instruction entry = image.last("ENTRYPOINT");
        assertNotNull(entry);
        assertTrue(userAt < image.instructions().indexOf(entry), () -> name + ": USER before ENTRYPOINT");
        int port = httpPort();
        assertTrue(image.all("EXPOSE").stream().anyMatch(e -> e.args().contains(String.valueOf(port))),
                () -> name + ": EXPOSE " + port + " (REST, gRPC, health and metrics share it)");
        if (name.contains("native")) {
            assertTrue(image.all("COPY").stream().anyMatch(c -> c.args().get(0).endsWith("target/*-runner")
                    && c.args().get(1).equals("/work/application")), () -> name + ": copies the runner");
            assertTrue(entry.raw().contains("\"./application\"") && image.last("WORKDIR").args().get(0).startsWith("/work"),
                    () -> name + ": runs what it copied: " + entry.raw());
        } else {
            assertTrue(image.all("ENV").stream().anyMatch(e -> e.raw().contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"")),
                    "run-java.sh starts the fast-jar's quarkus-run.jar");
        }
    }
}
