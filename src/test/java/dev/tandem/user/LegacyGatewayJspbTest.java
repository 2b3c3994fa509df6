package dev.tandem.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import dev.tandem.TestChannels;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.transcoding.JspbObjects;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The old REST gateway's routes ({@code GET /api/users}, {@code GET /api/users/{id}}) answer what
 * that gateway answered, {@code res.send(response.toObject())} of google-protobuf for the ORIGINAL
 * contract, checked against google-protobuf itself: the gRPC answers' bytes are decoded in Node by
 * the classes protoc 3.20.3 {@code --js_out=import_style=commonjs,binary} generates from {@code
 * src/main/proto-original}, with npm {@code google-protobuf} 3.21.4 ({@code src/test/node-jspb}),
 * and compared field by field and byte for byte with Tandem's answer to the same route.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH and {@code target/protoc-js/protoc-3.20.3.exe},
 * which {@code maven-dependency-plugin} copies from Maven Central in {@code
 * generate-test-resources}. Output is kept in {@code target/jspb/*.log}.
 */
@QuarkusTest
class LegacyGatewayJspbTest {

    private static final Path NODE_DIR = Path.of("src", "test", "node-jspb");
    private static final Path ORIGINAL = Path.of("src", "main", "proto-original");
    private static final Path CONFORMANCE = Path.of("src", "test", "proto", "tandem", "conformance", "v1", "conformance.proto");
    private static final List<String> IMPORTS = List.of("google/protobuf/timestamp.proto", "google/protobuf/any.proto",
            "google/protobuf/duration.proto", "google/protobuf/empty.proto", "google/protobuf/field_mask.proto",
            "google/protobuf/struct.proto", "google/protobuf/wrappers.proto", "google/protobuf/descriptor.proto",
            "google/api/annotations.proto", "google/api/http.proto");
    private static final Path WORK = Path.of("target", "jspb");
    private static final Path PROTOC = Path.of("target", "protoc-js", "protoc-3.20.3.exe");

    @TestHTTPResource("/")
    URL server;

    @Test
    void apiRoutesAnswerGoogleProtobufsToObjectOfTheOriginalContract() throws Exception {
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(TestChannels.app());
        List<Map<String, String>> cases = new ArrayList<>();
        cases.add(testCase("/api/users/1", users.getUserById(GetUserRequest.newBuilder().setId(1).build())));
        cases.add(testCase("/api/users/2", users.getUserById(GetUserRequest.newBuilder().setId(2).build())));
        cases.add(testCase("/api/users", users.getAllUsers(GetAllUsersRequest.getDefaultInstance())));
        // the printer alone, on a message with a field of every kind (no route answers it)
        for (Message m : List.of(KitchenSamples.everyField(), KitchenSamples.defaults(), KitchenSamples.otherChoice())) {
            cases.add(Map.of("tandemText", JspbObjects.print(m, m.getDescriptorForType()),
                    "type", m.getDescriptorForType().getFullName(),
                    "grpcBytes", Base64.getEncoder().encodeToString(m.toByteArray())));
        }
        Files.createDirectories(WORK);
        Path casesFile = WORK.resolve("cases.json");
        Files.writeString(casesFile, new ObjectMapper().writeValueAsString(cases));

        Path gen = generateJspbClasses();
        installDependenciesIfStale();
        String base = "http://" + server.getHost() + ":" + server.getPort();
        Result node = run(List.of("node", "--test", "jspb.test.cjs"),
                Map.of("TANDEM_REST_BASE", base,
                        "TANDEM_JSPB_GEN", gen.toAbsolutePath().toString(),
                        "TANDEM_JSPB_CASES", casesFile.toAbsolutePath().toString(),
                        "NODE_PATH", NODE_DIR.resolve("node_modules").toAbsolutePath().toString()),
                WORK.resolve("node-test.log"));
        System.out.println("node --test jspb.test.cjs:\n" + node.output());
        assertEquals(0, node.exitCode(), () -> "google-protobuf's toObject() differs from Tandem's /api answer:\n" + node.output());
        assertTrue(node.output().contains("# pass 6"), node.output());
    }

    /** The old gateway answered every failure of GET /api/users/{id} with 404 {"error":"Not found"}. */
    @Test
    void anyFailureOnTheOldRouteIs404NotFound() {
        for (String id : List.of("999999", "0", "-1", "abc", "1.5", "99999999999")) {
            given().get("/api/users/" + id).then()
                    .statusCode(404)
                    .contentType(ContentType.JSON)
                    .body(equalTo("{\"error\":\"Not found\"}"));
        }
    }

    /** Fields that the original contract lacks stay out: no etag anywhere, and orders are ordersList. */
    @Test
    void fieldsAddedSinceTheOriginalContractAreLeftOut() {
        String body = given().get("/api/users/1").then().statusCode(200).extract().asString();
        assertTrue(body.startsWith("{\"user\":{\"id\":1,\"firstName\":\"Petar\""), body);
        assertTrue(body.contains("\"ordersList\":[{\"id\":1,\"userId\":1,\"item\":{\"id\":1,\"name\":\"pencil\"},"
                + "\"orderDate\":{\"seconds\":1682899200,\"nanos\":0},\"amount\":10}"), body);
        assertTrue(!body.contains("etag"), body);
        given().get("/v1/users/1").then().statusCode(200).body("user.etag", org.hamcrest.Matchers.notNullValue());
    }

    private static Map<String, String> testCase(String path, Message grpcAnswer) {
        return Map.of("path", path, "type", grpcAnswer.getDescriptorForType().getFullName(),
                "grpcBytes", Base64.getEncoder().encodeToString(grpcAnswer.toByteArray()));
    }

    /** protoc 3.20.3 --js_out over the original protos, with google/protobuf/timestamp.proto from the classpath. */
    private static Path generateJspbClasses() throws IOException, InterruptedException {
        assertTrue(Files.exists(PROTOC), PROTOC + " is missing: run the build's generate-test-resources phase");
        PROTOC.toFile().setExecutable(true);
        Path include = WORK.resolve("include");
        for (String name : IMPORTS) {
            Path file = include.resolve(name);
            Files.createDirectories(file.getParent());
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path gen = WORK.resolve("gen");
        Files.createDirectories(gen);
        List<String> command = new ArrayList<>(List.of(PROTOC.toAbsolutePath().toString(),
                "-I" + ORIGINAL.toAbsolutePath(), "-I" + include.toAbsolutePath(),
                "--js_out=import_style=commonjs,binary:" + gen.toAbsolutePath()));
        try (Stream<Path> files = Files.walk(ORIGINAL)) {
            files.filter(f -> f.toString().endsWith(".proto")).forEach(f -> command.add(f.toAbsolutePath().toString()));
        }
        Result protoc = run(command, Map.of(), WORK.resolve("protoc.log"));
        assertEquals(0, protoc.exitCode(), () -> "protoc --js_out failed:\n" + protoc.output());
        // the test-only message with a field of every kind, and the google/api files it imports
        Result kitchen = run(List.of(PROTOC.toAbsolutePath().toString(),
                "-I" + Path.of("src", "test", "proto").toAbsolutePath(), "-I" + include.toAbsolutePath(),
                "--js_out=import_style=commonjs,binary:" + gen.toAbsolutePath(), CONFORMANCE.toAbsolutePath().toString(),
                include.resolve("google/api/annotations.proto").toAbsolutePath().toString(),
                include.resolve("google/api/http.proto").toAbsolutePath().toString()), Map.of(), WORK.resolve("protoc-kitchen.log"));
        assertEquals(0, kitchen.exitCode(), () -> "protoc --js_out failed:\n" + kitchen.output());
        return gen;
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
        Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), Map.of(),
                WORK.resolve("npm-ci.log"));
        assertEquals(0, npm.exitCode(), () -> "npm ci in " + NODE_DIR + " failed:\n" + npm.output());
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish within 5 minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
