package dev.tandem.aip;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.rpc.ErrorInfo;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.DeleteUserRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UpdateUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * AIP-154 etags on both protocols: the etag on every read and write, {@code ABORTED} / 409 with
 * {@code google.rpc.ErrorInfo} for a stale etag in the body or in {@code If-Match} (metadata), the
 * {@code etag} response header, and that a rejected conditional write writes nothing.
 */
@QuarkusTest
class EtagTest {

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @Inject
    TestDb db;

    private User newUser() {
        return users.createUser(CreateUserRequest.newBuilder()
                .setFirstName("Etag").setLastName("Test").setEmail(TestDb.uniqueEmail()).build());
    }

    private static UpdateUserRequest rename(User u, String firstName, String etag) {
        return UpdateUserRequest.newBuilder()
                .setUser(User.newBuilder().setId(u.getId()).setFirstName(firstName).setEtag(etag)).build();
    }

    @Test
    void etagIsOnEveryReadAndChangesOnEveryUpdate() {
        User created = newUser();
        assertEquals("\"0\"", created.getEtag());
        assertEquals(created.getEtag(), users.getUserById(GetUserRequest.newBuilder().setId(created.getId()).build())
                .getUser().getEtag());
        User updated = users.updateUser(rename(created, "Second", created.getEtag()));
        assertEquals("\"1\"", updated.getEtag());
        // weak form names the same version
        User again = users.updateUser(rename(updated, "Third", "W/" + updated.getEtag()));
        assertEquals("\"2\"", again.getEtag());
        Order order = orders.createOrder(CreateOrderRequest.newBuilder()
                .setUserId(created.getId()).setItemId(1).setAmount(1).build());
        assertEquals("\"0\"", order.getEtag());
    }

    @Test
    void staleEtagIsAbortedWithErrorInfoAndWritesNothing() {
        User created = newUser();
        users.updateUser(rename(created, "Moved", created.getEtag()));
        String before = db.snapshot();
        com.google.rpc.Status status = assertStatus(Status.Code.ABORTED,
                () -> users.updateUser(rename(created, "Stale", created.getEtag())));
        ErrorInfo info = detail(status, ErrorInfo.class);
        assertEquals("ETAG_MISMATCH", info.getReason());
        assertEquals("users/" + created.getId(), info.getMetadataOrThrow("resource"));
        assertStatus(Status.Code.ABORTED, () -> users.deleteUser(
                DeleteUserRequest.newBuilder().setId(created.getId()).setEtag(created.getEtag()).build()));
        assertEquals(before, db.snapshot());
    }

    @Test
    void malformedEtagIsInvalidArgument() {
        User created = newUser();
        assertInvalid(() -> users.updateUser(rename(created, "X", "3")), "user.etag");
        assertInvalid(() -> users.deleteUser(DeleteUserRequest.newBuilder().setId(created.getId()).setEtag("abc").build()),
                "etag");
    }

    @Test
    void deleteWithCurrentEtagDeletes() {
        User created = newUser();
        users.deleteUser(DeleteUserRequest.newBuilder().setId(created.getId()).setEtag(created.getEtag()).build());
        assertEquals(0, db.single("select count(*) from users where id = " + created.getId()));
    }

    @Test
    void ifMatchMetadataIsEnforcedAndEtagHeaderReturned() {
        User created = newUser();
        Metadata stale = new Metadata();
        stale.put(Metadata.Key.of("if-match", Metadata.ASCII_STRING_MARSHALLER), "\"7\"");
        String before = db.snapshot();
        com.google.rpc.Status status = assertStatus(Status.Code.ABORTED, () -> users
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(stale))
                .updateUser(rename(created, "Nope", "")));
        assertEquals("IF_MATCH_FAILED", detail(status, ErrorInfo.class).getReason());
        assertEquals(before, db.snapshot());

        Metadata current = new Metadata();
        current.put(Metadata.Key.of("if-match", Metadata.ASCII_STRING_MARSHALLER), "\"9\", " + created.getEtag());
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        User updated = users.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(current),
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .updateUser(rename(created, "Yes", ""));
        assertEquals("Yes", updated.getFirstName());
        assertEquals(updated.getEtag(), headers.get().get(Metadata.Key.of("etag", Metadata.ASCII_STRING_MARSHALLER)));
    }

    @Test
    void restBodyEtagAndIfMatch() {
        User created = newUser();
        String path = "/v1/users/" + created.getId();
        String etag = given().get(path).then().statusCode(200)
                .body("user.etag", equalTo("\"0\""))
                .header("Grpc-Metadata-Etag", "\"0\"")
                .header("ETag", "\"0\"")
                .extract().path("user.etag");

        given().contentType(ContentType.JSON).body("{\"firstName\":\"Rest\",\"etag\":" + quote(etag) + "}")
                .patch(path).then().statusCode(200)
                .body("etag", equalTo("\"1\""))
                .header("Grpc-Metadata-Etag", "\"1\"")
                .header("ETag", "\"1\"");

        String before = db.snapshot();
        // stale body etag: 409 ABORTED with ErrorInfo
        given().contentType(ContentType.JSON).body("{\"firstName\":\"Stale\",\"etag\":" + quote(etag) + "}")
                .patch(path).then().statusCode(409)
                .body("code", equalTo(10))
                .body("details[0].reason", equalTo("ETAG_MISMATCH"));
        // stale If-Match: forwarded as metadata and enforced; 412 per RFC 9110
        given().contentType(ContentType.JSON).header("If-Match", etag).body("{\"firstName\":\"Stale\"}")
                .patch(path).then().statusCode(412)
                .body("details[0].reason", equalTo("IF_MATCH_FAILED"));
        given().header("If-Match", etag).delete(path).then().statusCode(412)
                .body("details[0].reason", equalTo("IF_MATCH_FAILED"));
        given().queryParam("etag", etag).delete(path).then().statusCode(409)
                .body("details[0].reason", equalTo("ETAG_MISMATCH"));
        assertEquals(before, db.snapshot());

        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"firstName\":\"Matched\"}")
                .patch(path).then().statusCode(200).body("etag", equalTo("\"2\""));
        given().header("If-Match", "\"2\"").delete(path).then().statusCode(200);
        assertNotEquals(before, db.snapshot());
        assertEquals(0, db.single("select count(*) from users where id = " + created.getId()));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
