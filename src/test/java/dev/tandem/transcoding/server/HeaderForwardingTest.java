package dev.tandem.transcoding.server;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * HTTP headers to gRPC metadata and back, and {@code Grpc-Timeout} to the RPC's deadline, as
 * grpc-gateway does it (see {@link MetadataEchoInterceptor} for how the RPC's view is shown).
 */
@QuarkusTest
class HeaderForwardingTest {

    @Test
    void allowListedHeadersBecomeMetadata() {
        given().header("Authorization", "Bearer abc").header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .get("/v1/greeter/x").then()
                .statusCode(200)
                .header("Grpc-Metadata-echo-authorization", "Bearer abc")
                .header("Grpc-Metadata-echo-traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void grpcMetadataPrefixedHeadersAreForwardedWithoutThePrefix() {
        given().header("Grpc-Metadata-Custom", "v1").get("/v1/greeter/x").then()
                .statusCode(200)
                .header("Grpc-Metadata-echo-custom", "v1");
    }

    @Test
    void otherHeadersAreNotForwarded() {
        given().header("X-Not-Forwarded", "secret").get("/v1/greeter/x").then()
                .statusCode(200)
                .header("Grpc-Metadata-echo-x-not-forwarded", nullValue());
    }

    @Test
    void grpcTimeoutSetsTheDeadline() {
        String remaining = given().header("Grpc-Timeout", "3S").get("/v1/greeter/x").then()
                .statusCode(200)
                .extract().header("Grpc-Metadata-echo-deadline-ms");
        long ms = Long.parseLong(remaining);
        assertTrue(ms > 2000 && ms <= 3000, "deadline " + ms + " ms");
        given().get("/v1/greeter/x").then().statusCode(200).header("Grpc-Metadata-echo-deadline-ms", nullValue());
    }

    @Test
    void anExpiredDeadlineIs504() {
        given().header("Grpc-Timeout", "0n").get("/v1/greeter/x").then()
                .statusCode(504)
                .contentType("application/json");
    }
}
