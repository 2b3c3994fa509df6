package dev.tandem.protocol.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestChannels;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HTTP headers to gRPC metadata and back, and {@code Grpc-Timeout} to the RPC's deadline, as
 * grpc-gateway does it, capped by the server's {@code tandem.limits.max-request-timeout} (see {@link
 * MetadataEchoInterceptor} for how the RPC's view is shown).
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
    }

    /** Without {@code Grpc-Timeout}, or with a longer one, the server's cap applies (30 s by default). */
    @Test
    void withoutGrpcTimeoutOrWithALongerOneTheServersCapApplies() {
        for (String timeout : new String[] {null, "2M"}) {
            var request = given();
            if (timeout != null) {
                request = request.header("Grpc-Timeout", timeout);
            }
            long ms = Long.parseLong(request.get("/v1/greeter/x").then().statusCode(200)
                    .extract().header("Grpc-Metadata-echo-deadline-ms"));
            assertTrue(ms > 25_000 && ms <= 30_000, "Grpc-Timeout " + timeout + ": deadline " + ms + " ms");
        }
    }

    /**
     * Over gRPC the service sees the client's deadline ({@code grpc-timeout}, which the Vert.x gRPC
     * server on the shared port does not apply by itself), capped at the server's 30 s.
     */
    @Test
    void grpcCallsGetTheClientsDeadlineCappedByTheServers() {
        long five = grpcDeadlineMs(5);
        assertTrue(five > 3000 && five <= 5000, "5 s client deadline: " + five + " ms");
        long none = grpcDeadlineMs(0);
        assertTrue(none > 25_000 && none <= 30_000, "no client deadline: " + none + " ms");
        long longer = grpcDeadlineMs(120);
        assertTrue(longer > 25_000 && longer <= 30_000, "120 s client deadline: " + longer + " ms");
    }

    /** @return the deadline the service saw, in ms, for a client deadline of {@code seconds} (0: none) */
    private static long grpcDeadlineMs(int seconds) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(TestChannels.app())
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()));
        if (seconds > 0) {
            stub = stub.withDeadlineAfter(seconds, TimeUnit.SECONDS);
        }
        stub.sayHello(HelloRequest.newBuilder().setName("x").build());
        return Long.parseLong(headers.get().get(Metadata.Key.of("echo-deadline-ms", Metadata.ASCII_STRING_MARSHALLER)));
    }

    @Test
    void anExpiredDeadlineIs504() {
        given().header("Grpc-Timeout", "0n").get("/v1/greeter/x").then()
                .statusCode(504)
                .contentType("application/json");
    }
}
