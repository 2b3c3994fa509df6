package dev.tandem.security;

import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.ErrorInfo;
import dev.tandem.TestChannels;
import dev.tandem.TestDb;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two credentials in one request are refused, never "the last one wins" (RFC 6750 section 3.1,
 * {@code invalid_request}): two HTTP {@code Authorization} headers are 400 on REST, two {@code
 * authorization} metadata entries {@code UNAUTHENTICATED} on gRPC, whatever the two hold, and
 * nothing is written.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class DuplicateCredentialsTest {

    private static final Metadata.Key<String> WWW_AUTHENTICATE =
            Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    TestDb db;

    static Stream<Arguments> pairs() {
        String writer = TestTokens.bearer(TestTokens.valid("writer"));
        return Stream.of(
                Arguments.of("garbage then a writer token", "Bearer garbage", writer),
                Arguments.of("a reader then a writer token", TestTokens.bearer(TestTokens.valid("reader")), writer),
                Arguments.of("the same writer token twice", writer, writer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void twoAuthorizationHeadersAre400InvalidRequestOverRest(String what, String first, String second) {
        String before = db.snapshot();
        given().header("Authorization", first).header("Authorization", second)
                .contentType("application/json")
                .body("{\"firstName\":\"Two\",\"lastName\":\"Creds\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .when().post("/v1/users")
                .then().statusCode(400)
                .contentType("application/json")
                .header("WWW-Authenticate", containsString("error=\"invalid_request\""))
                .body("code", equalTo(Status.Code.UNAUTHENTICATED.value()))
                .body("details[0].reason", equalTo(AuthException.CREDENTIALS_AMBIGUOUS));
        given().header("Authorization", first).header("Authorization", second)
                .when().get("/v1/users/1")
                .then().statusCode(400);
        assertEquals(before, db.snapshot(), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void twoAuthorizationEntriesAreUnauthenticatedOverGrpc(String what, String first, String second) {
        String before = db.snapshot();
        Metadata md = new Metadata();
        md.put(AuthInterceptor.AUTHORIZATION, first);
        md.put(AuthInterceptor.AUTHORIZATION, second);
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(TestChannels.app())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        StatusRuntimeException[] thrown = new StatusRuntimeException[1];
        com.google.rpc.Status status = assertStatus(Status.Code.UNAUTHENTICATED, () -> {
            try {
                users.createUser(CreateUserRequest.newBuilder().setFirstName("Two").setLastName("Creds")
                        .setEmail(TestDb.uniqueEmail()).build());
            } catch (StatusRuntimeException e) {
                thrown[0] = e;
                throw e;
            }
        });
        assertEquals(AuthException.CREDENTIALS_AMBIGUOUS, detail(status, ErrorInfo.class).getReason());
        String challenge = thrown[0].getTrailers().get(WWW_AUTHENTICATE);
        assertTrue(challenge != null && challenge.contains("error=\"invalid_request\""), String.valueOf(challenge));
        assertStatus(Status.Code.UNAUTHENTICATED, () -> users.getUserById(GetUserRequest.newBuilder().setId(1).build()));
        assertEquals(before, db.snapshot(), "nothing written");
    }
}
