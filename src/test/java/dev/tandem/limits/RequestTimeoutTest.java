package dev.tandem.limits;

import static dev.tandem.GrpcAssertions.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.ErrorInfo;
import dev.tandem.TestChannels;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.error.ApiErrors;
import dev.tandem.security.AuthInterceptor;
import dev.tandem.security.AuthProfile;
import dev.tandem.security.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's maximum request time ({@link DeadlineInterceptor}), here 3 s ({@link AuthProfile}),
 * on real calls that really take longer: the test holds {@code LOCK TABLE users IN ACCESS EXCLUSIVE
 * MODE} from its own connection, so {@code GetUserById} waits inside PostgreSQL, as in {@code
 * GracefulShutdownIT}. Calls without a deadline, and with a longer one, end {@code
 * DEADLINE_EXCEEDED} / 504 with the server's {@code ErrorInfo} ({@code limit=server}), over gRPC,
 * REST, Connect ({@code Connect-Timeout-Ms}) and gRPC-Web ({@code grpc-timeout}); a shorter
 * client deadline wins. Then the lock goes and the same call answers at once: the abandoned calls
 * left nothing broken behind.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class RequestTimeoutTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void slowCallsEndAtTheServersLimitOverEveryProtocol() throws Exception {
        String reader = TestTokens.bearer(TestTokens.valid("reader"));
        Metadata md = new Metadata();
        md.put(AuthInterceptor.AUTHORIZATION, reader);
        UserServiceGrpc.UserServiceFutureStub users = UserServiceGrpc.newFutureStub(TestChannels.app())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        GetUserRequest one = GetUserRequest.newBuilder().setId(1).build();
        warm(users, one); // so that only the lock makes it slow

        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            ListenableFuture<GetUserResponse> noDeadline = users.getUserById(one);
            ListenableFuture<GetUserResponse> longDeadline = users.withDeadlineAfter(60, TimeUnit.SECONDS).getUserById(one);
            // java.net.http, not RestAssured, whose request specifications are not safe to build concurrently
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> restNoTimeout = http.sendAsync(get(reader, null), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> restLongTimeout = http.sendAsync(get(reader, "60S"), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> restShortTimeout = http.sendAsync(get(reader, "1S"), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> connect = http.sendAsync(post(reader, "application/json",
                    "connect-timeout-ms", "60000", "{\"id\":1}".getBytes(StandardCharsets.UTF_8)), BodyHandlers.ofString());
            CompletableFuture<HttpResponse<byte[]>> grpcWeb = http.sendAsync(post(reader, "application/grpc-web+proto",
                    "grpc-timeout", "60S", grpcWebFrame(one)), BodyHandlers.ofByteArray());

            serverLimit(noDeadline);
            serverLimit(longDeadline);
            long grpcMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(grpcMs >= 2500 && grpcMs < 20_000, "ended at about the 3 s limit, took " + grpcMs + " ms");
            serverLimit(restNoTimeout.get(30, TimeUnit.SECONDS));
            serverLimit(restLongTimeout.get(30, TimeUnit.SECONDS));
            HttpResponse<String> shorter = restShortTimeout.get(30, TimeUnit.SECONDS);
            assertEquals(504, shorter.statusCode(), shorter.body());
            assertEquals(Status.Code.DEADLINE_EXCEEDED.value(), new JsonPath(shorter.body()).getInt("code"));
            assertFalse(shorter.body().contains("\"limit\":\"server\""), "the client's 1 s, not the server's limit: "
                    + shorter.body());
            connectServerLimit(connect.get(30, TimeUnit.SECONDS));
            grpcWebServerLimit(grpcWeb.get(30, TimeUnit.SECONDS));
            lock.rollback();
        }
        long start = System.nanoTime();
        assertEquals("Petar", users.withDeadlineAfter(30, TimeUnit.SECONDS).getUserById(one).get().getUser().getFirstName());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "answers again once the lock is gone");
    }

    /**
     * Calls until one call answers within the server's 3 s: on a loaded machine (a CI runner, a
     * parallel build) the first calls of a fresh JVM may take longer than that themselves.
     */
    private static void warm(UserServiceGrpc.UserServiceFutureStub users, GetUserRequest one) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                users.getUserById(one).get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (attempt == 10 || Status.fromThrowable(e.getCause()).getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
            }
        }
    }

    private static void serverLimit(ListenableFuture<GetUserResponse> call) throws InterruptedException {
        try {
            call.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            StatusRuntimeException s = (StatusRuntimeException) e.getCause();
            assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getStatus().getCode(), s.toString());
            com.google.rpc.Status status = StatusProto.fromThrowable(s);
            assertNotNull(status, "a google.rpc.Status from the server, not the client's own deadline: " + s);
            ErrorInfo info = detail(status, ErrorInfo.class);
            assertEquals(ApiErrors.REQUEST_TIMEOUT, info.getReason());
            assertEquals("server", info.getMetadataOrThrow("limit"));
            assertEquals("PT3S", info.getMetadataOrThrow("timeout"));
            return;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        }
        throw new AssertionError("the call succeeded while the table was locked");
    }

    private static HttpRequest get(String authorization, String grpcTimeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/users/1"))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(30));
        return (grpcTimeout == null ? b : b.header("Grpc-Timeout", grpcTimeout)).GET().build();
    }

    /** A Connect (JSON) or gRPC-Web call of GetUserById with a 60 s client timeout in {@code timeoutHeader}. */
    private static HttpRequest post(String authorization, String contentType, String timeoutHeader, String timeout,
            byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/user.v1.UserService/GetUserById"))
                .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", contentType)
                .header(timeoutHeader, timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static byte[] grpcWebFrame(GetUserRequest request) {
        byte[] message = request.toByteArray();
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    /** Connect: 504 with Connect's JSON error, the server's ErrorInfo among its details. */
    private static void connectServerLimit(HttpResponse<String> r) throws Exception {
        assertEquals(504, r.statusCode(), r.body());
        JsonPath body = new JsonPath(r.body());
        assertEquals("deadline_exceeded", body.getString("code"), r.body());
        assertEquals("google.rpc.ErrorInfo", body.getString("details[0].type"), r.body());
        ErrorInfo info = ErrorInfo.parseFrom(Base64.getDecoder().decode(pad(body.getString("details[0].value"))));
        assertEquals(ApiErrors.REQUEST_TIMEOUT, info.getReason());
        assertEquals("server", info.getMetadataOrThrow("limit"));
    }

    /** gRPC-Web: trailers-only (no message was sent), grpc-status 4 with the server's ErrorInfo. */
    private static void grpcWebServerLimit(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(Status.Code.DEADLINE_EXCEEDED.value()), r.headers().firstValue("grpc-status")
                .orElseThrow(() -> new AssertionError("no grpc-status header: " + r.headers().map())));
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(
                pad(r.headers().firstValue("grpc-status-details-bin").orElseThrow())));
        ErrorInfo info = detail(status, ErrorInfo.class);
        assertEquals("server", info.getMetadataOrThrow("limit"));
    }

    /** @return unpadded base64 (as Connect and gRPC metadata send it) padded for java.util.Base64 */
    private static String pad(String base64) {
        return base64 + "=".repeat((4 - base64.length() % 4) % 4);
    }

    private static void serverLimit(HttpResponse<String> r) {
        assertEquals(504, r.statusCode(), r.body());
        JsonPath body = new JsonPath(r.body());
        assertEquals(Status.Code.DEADLINE_EXCEEDED.value(), body.getInt("code"));
        assertEquals(ApiErrors.REQUEST_TIMEOUT, body.getString("details[0].reason"));
        assertEquals("server", body.getString("details[0].metadata.limit"));
    }
}
