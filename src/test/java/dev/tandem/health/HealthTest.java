package dev.tandem.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import dev.tandem.TestChannels;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes probes over HTTP and the standard grpc.health.v1.Health service, on the one port; also
 * run against the packaged application by {@link HealthIT}.
 */
@QuarkusTest
class HealthTest {

    /** The Kubernetes startup probe's path (k8s/base/deployment.yaml). */
    @Test
    void startupIsUp() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void grpcHealthServiceReportsServingForTheServerAndEachService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(TestChannels.app());
        for (String service : new String[] {"", "helloworld.Greeter", "user.v1.UserService",
                "orders.v1.OrderService", "orders.v1.ItemService"}) {
            assertEquals(ServingStatus.SERVING,
                    health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(),
                    "service '" + service + "'");
        }
    }
}
