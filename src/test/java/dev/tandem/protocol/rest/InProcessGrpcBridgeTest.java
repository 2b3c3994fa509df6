package dev.tandem.protocol.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ConnectivityState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The REST facade's in-process channel is connected from start-up and never idle. A channel that
 * leaves idle mode starts its parked first calls from inside a later call, and through Quarkus's
 * gRPC Context storage (which does not reset a duplicated context's Context on detach to ROOT) that
 * later REST call inherited a finished Context and failed 499 CANCELLED. A {@code @QuarkusTest} only:
 * it injects the bean, which {@code @QuarkusIntegrationTest} cannot.
 */
@QuarkusTest
class InProcessGrpcBridgeTest {

    @Inject
    InProcessGrpcBridge bridge;

    @Test
    void channelIsReadyFromStartUpAndStaysReady() {
        assertEquals(ConnectivityState.READY, bridge.channel().getState(false));
        given().get("/v1/greeter/World").then().statusCode(200);
        assertEquals(ConnectivityState.READY, bridge.channel().getState(false));
    }
}
