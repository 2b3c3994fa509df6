package dev.tandem.security;

import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.tandem.TestChannels;
import dev.tandem.TestDb;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.api.orders.v1.ListItemsRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.error.ApiErrors;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authentication and authorization, the same on both protocols ({@link AuthInterceptor}), with real
 * RS256 tokens ({@link TestTokens}) against the application in {@link AuthProfile} (auth on, as in
 * production). Every refusal is checked over gRPC (status, {@code google.rpc.ErrorInfo}, trailer
 * {@code www-authenticate}) and over REST (HTTP status, {@code google.rpc.Status} body, RFC 6750
 * {@code WWW-Authenticate} header), and a refused write is checked to have written nothing.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class AuthTest {

    private static final Metadata.Key<String> WWW_AUTHENTICATE =
            Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    TestDb db;

    /** Credentials that do not authenticate: what is sent, and the ErrorInfo reason of the answer. */
    static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of("no token", null, AuthException.CREDENTIALS_MISSING),
                Arguments.of("another scheme", "Basic dXNlcjpwYXNz", AuthException.CREDENTIALS_MISSING),
                Arguments.of("malformed token", "Bearer not.a.jwt", AuthException.TOKEN_INVALID),
                Arguments.of("bad signature", TestTokens.bearer(TestTokens.badSignature("reader", "writer")),
                        AuthException.TOKEN_INVALID),
                Arguments.of("expired", TestTokens.bearer(TestTokens.expired("reader", "writer")),
                        AuthException.TOKEN_EXPIRED),
                Arguments.of("wrong issuer", TestTokens.bearer(TestTokens.wrongIssuer("reader", "writer")),
                        AuthException.TOKEN_INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialsAreUnauthenticatedOverGrpc(String what, String authorization, String reason) {
        String before = db.snapshot();
        UserServiceGrpc.UserServiceBlockingStub users = with(authorization, UserServiceGrpc.newBlockingStub(TestChannels.app()));
        StatusRuntimeException[] thrown = new StatusRuntimeException[1];
        com.google.rpc.Status status = assertStatus(Status.Code.UNAUTHENTICATED, () -> {
            try {
                users.getUserById(GetUserRequest.newBuilder().setId(1).build());
            } catch (StatusRuntimeException e) {
                thrown[0] = e;
                throw e;
            }
        });
        ErrorInfo info = detail(status, ErrorInfo.class);
        assertEquals(reason, info.getReason());
        assertEquals(ApiErrors.DOMAIN, info.getDomain());
        String challenge = thrown[0].getTrailers().get(WWW_AUTHENTICATE);
        assertNotNull(challenge, "www-authenticate trailer");
        assertTrue(challenge.startsWith("Bearer realm=\"tandem\""), challenge);
        assertEquals(!reason.equals(AuthException.CREDENTIALS_MISSING), challenge.contains("error=\"invalid_token\""), challenge);

        assertStatus(Status.Code.UNAUTHENTICATED, () -> with(authorization, UserServiceGrpc.newBlockingStub(TestChannels.app()))
                .createUser(CreateUserRequest.newBuilder().setFirstName("A").setLastName("B").setEmail(TestDb.uniqueEmail()).build()));
        assertEquals(before, db.snapshot(), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialsAre401OverRest(String what, String authorization, String reason) {
        String before = db.snapshot();
        unauthorized(rest(authorization).get("/v1/users/1").then(), reason);
        unauthorized(rest(authorization).get("/v1/orders:export").then(), reason); // a stream: refused before its first line
        unauthorized(rest(authorization).contentType("application/json")
                .body("{\"firstName\":\"A\",\"lastName\":\"B\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .post("/v1/users").then(), reason);
        assertEquals(before, db.snapshot(), "nothing written");
    }

    private static void unauthorized(ValidatableResponse r, String reason) {
        r.statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", startsWith("Bearer realm=\"tandem\""))
                .body("code", equalTo(Status.Code.UNAUTHENTICATED.value()))
                .body("details[0].reason", equalTo(reason));
    }

    @Test
    void aReaderCannotWriteOverGrpcAndNothingIsWritten() {
        String before = db.snapshot();
        String reader = TestTokens.bearer(TestTokens.valid("reader"));
        StatusRuntimeException[] thrown = new StatusRuntimeException[1];
        com.google.rpc.Status status = assertStatus(Status.Code.PERMISSION_DENIED, () -> {
            try {
                with(reader, UserServiceGrpc.newBlockingStub(TestChannels.app())).createUser(CreateUserRequest.newBuilder()
                        .setFirstName("Rita").setLastName("Reader").setEmail(TestDb.uniqueEmail()).build());
            } catch (StatusRuntimeException e) {
                thrown[0] = e;
                throw e;
            }
        });
        ErrorInfo info = detail(status, ErrorInfo.class);
        assertEquals(ApiErrors.ROLE_MISSING, info.getReason());
        assertEquals("writer", info.getMetadataOrThrow("role"));
        assertEquals("user.v1.UserService/CreateUser", info.getMetadataOrThrow("method"));
        assertTrue(thrown[0].getTrailers().get(WWW_AUTHENTICATE).contains("error=\"insufficient_scope\""));
        assertStatus(Status.Code.PERMISSION_DENIED, () -> with(reader, UserServiceGrpc.newBlockingStub(TestChannels.app()))
                .deleteUser(DeleteUserRequest.newBuilder().setId(1).setForce(true).build()));
        assertStatus(Status.Code.PERMISSION_DENIED, () -> with(reader, ItemServiceGrpc.newBlockingStub(TestChannels.app()))
                .createItem(CreateItemRequest.newBuilder().setName("pen").build()));
        assertEquals(before, db.snapshot(), "nothing written");
    }

    @Test
    void aReaderCannotWriteOverRestAndNothingIsWritten() {
        String before = db.snapshot();
        String reader = TestTokens.bearer(TestTokens.valid("reader"));
        rest(reader).contentType("application/json")
                .body("{\"firstName\":\"Rita\",\"lastName\":\"Reader\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .post("/v1/users").then()
                .statusCode(403)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"tandem\", error=\"insufficient_scope\""))
                .body("code", equalTo(Status.Code.PERMISSION_DENIED.value()))
                .body("details[0].reason", equalTo(ApiErrors.ROLE_MISSING))
                .body("details[0].metadata.role", equalTo("writer"));
        rest(reader).delete("/v1/users/1?force=true").then().statusCode(403);
        rest(reader).contentType("application/json").body("{\"name\":\"pen\"}").post("/v1/items").then().statusCode(403);
        assertEquals(before, db.snapshot(), "nothing written");
    }

    @Test
    void aTokenWithoutRolesReadsNothing() {
        String none = TestTokens.bearer(TestTokens.valid());
        assertStatus(Status.Code.PERMISSION_DENIED, () -> with(none, UserServiceGrpc.newBlockingStub(TestChannels.app()))
                .getUserById(GetUserRequest.newBuilder().setId(1).build()));
        rest(none).get("/v1/users/1").then().statusCode(403).body("details[0].metadata.role", equalTo("reader"));
    }

    @Test
    void aReaderReadsOverBothProtocols() throws Exception {
        String reader = TestTokens.bearer(TestTokens.valid("reader"));
        assertEquals("Petar", with(reader, UserServiceGrpc.newBlockingStub(TestChannels.app()))
                .getUserById(GetUserRequest.newBuilder().setId(1).build()).getUser().getFirstName());
        assertFalse(with(reader, ItemServiceGrpc.newBlockingStub(TestChannels.app()))
                .listItems(ListItemsRequest.getDefaultInstance()).getItemsList().isEmpty());
        assertEquals("Hello auth", with(reader, GreeterGrpc.newBlockingStub(TestChannels.app()))
                .sayHello(HelloRequest.newBuilder().setName("auth").build()).getMessage());
        List<Order> exported = new ArrayList<>();
        with(reader, OrderExportServiceGrpc.newBlockingStub(TestChannels.app()))
                .exportOrders(ExportOrdersRequest.newBuilder().setUserId(1).build()).forEachRemaining(exported::add);
        assertEquals(3, exported.size());

        rest(reader).get("/v1/users/1").then().statusCode(200).body("user.firstName", equalTo("Petar"));
        rest(reader).get("/v1/greeter/auth").then().statusCode(200).body("message", equalTo("Hello auth"));
        rest(reader).contentType("application/json").body("{\"name\":\"auth\"}").post("/v1/greeter:sayHello")
                .then().statusCode(200); // a read: its primary rule is a GET
        rest(reader).get("/v1/users/1/orders:export").then().statusCode(200).contentType(startsWith("application/x-ndjson"));
    }

    @Test
    void aWriterWritesAndReadsOverBothProtocols() {
        String writer = TestTokens.bearer(TestTokens.valid("writer"));
        long users = db.count("users");
        String email = TestDb.uniqueEmail();
        int id = with(writer, UserServiceGrpc.newBlockingStub(TestChannels.app())).createUser(CreateUserRequest.newBuilder()
                .setFirstName("Wanda").setLastName("Writer").setEmail(email).build()).getId();
        assertEquals("Wanda", with(writer, UserServiceGrpc.newBlockingStub(TestChannels.app()))
                .getUserById(GetUserRequest.newBuilder().setId(id).build()).getUser().getFirstName());
        rest(writer).contentType("application/json")
                .body("{\"firstName\":\"Walt\",\"lastName\":\"Writer\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .post("/v1/users").then().statusCode(201).body("firstName", equalTo("Walt"));
        rest(writer).get("/v1/users/" + id).then().statusCode(200).body("user.email", equalTo(email));
        assertEquals(users + 2, db.count("users"));
    }

    @Test
    void healthAndReflectionAreOpenOverGrpc() throws Exception {
        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(TestChannels.app())
                .check(HealthCheckRequest.newBuilder().setService("user.v1.UserService").build()).getStatus());
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(TestChannels.app())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        out.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        out.onCompleted();
        assertTrue(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceCount() > 0);
    }

    @Test
    void healthAndMetricsAreOpenOverHttpByDefault() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    private static RequestSpecification rest(String authorization) {
        RequestSpecification r = given();
        return authorization == null ? r : r.header("Authorization", authorization);
    }

    private static <S extends AbstractStub<S>> S with(String authorization, S stub) {
        if (authorization == null) {
            return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
        }
        Metadata md = new Metadata();
        md.put(AuthInterceptor.AUTHORIZATION, authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
