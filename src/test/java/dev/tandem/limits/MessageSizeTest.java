package dev.tandem.limits;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.RestAssertions;
import dev.tandem.TestChannels;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.protocol.rest.TranscodingConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The largest inbound message, one number for both protocols: {@code
 * tandem.limits.max-message-size} (1 MiB) for gRPC messages on the shared HTTP port,
 * and the same number, by default, for the REST facade's JSON body ({@code
 * tandem.transcoding.max-body-size}). A {@code CreateItem} whose name alone is over the limit is
 * {@code RESOURCE_EXHAUSTED} (REST 413) and writes nothing; one just under the limit reaches the
 * service, which refuses the name as too long ({@code INVALID_ARGUMENT}).
 */
@QuarkusTest
class MessageSizeTest {

    @ConfigProperty(name = "tandem.limits.max-message-size")
    int maxMessage;

    @Inject
    TranscodingConfig transcoding;

    @Inject
    TestDb db;

    @Test
    void theRestBodyLimitIsTheGrpcMessageLimit() {
        assertEquals(1 << 20, maxMessage);
        assertEquals(maxMessage, transcoding.maxBodySize().asLongValue());
    }

    @Test
    void aGrpcMessageOverTheLimitIsResourceExhaustedAndWritesNothing() {
        String before = db.snapshot();
        ItemServiceGrpc.ItemServiceBlockingStub items = ItemServiceGrpc.newBlockingStub(TestChannels.app())
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        // answered by the Vert.x gRPC server itself, before any interceptor: a bare status, no google.rpc.Status
        StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class,
                () -> items.createItem(CreateItemRequest.newBuilder().setName("x".repeat(maxMessage + 1)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode());
        assertInvalid(() -> items.createItem(CreateItemRequest.newBuilder().setName("x".repeat(maxMessage - 16)).build()), "name");
        assertEquals(before, db.snapshot());
        // the connection is still good for the next call
        assertEquals("pen", items.createItem(CreateItemRequest.newBuilder().setName("pen").build()).getName());
    }

    @Test
    void aRestBodyOverTheLimitIs413AndWritesNothing() {
        String before = db.snapshot();
        String over = "{\"name\":\"" + "x".repeat(maxMessage) + "\"}";
        given().contentType("application/json").body(over).post("/v1/items").then()
                .statusCode(413)
                .body("code", equalTo(Status.Code.RESOURCE_EXHAUSTED.value()));
        String under = "{\"name\":\"" + "x".repeat(maxMessage - 16) + "\"}";
        RestAssertions.badRequest(given().contentType("application/json").body(under).post("/v1/items").then(), "name");
        assertEquals(before, db.snapshot());
    }
}
