package dev.tandem.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import dev.tandem.ServedServices;
import dev.tandem.TestChannels;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
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
        // every service the registry serves (in the packaged application: every service of the contract)
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(TestChannels.app());
        Set<String> services = new TreeSet<>(ServedServices.application());
        assertTrue(services.contains("orders.v1.OrderExportService"), "services: " + services);
        services.add("");
        for (String service : services) {
            assertEquals(ServingStatus.SERVING,
                    health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(),
                    "service '" + service + "'");
        }
    }
}
