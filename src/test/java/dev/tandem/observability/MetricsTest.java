package dev.tandem.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestChannels;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.observability.PrometheusText.Sample;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} after a few calls on each protocol: the per-RPC timer {@code
 * tandem_rpc_server_seconds} counts each call once, under the right protocol, service, method and
 * status code, with its latency; Quarkus's own gRPC series are absent and its HTTP series has no
 * gRPC paths and no ids in its {@code uri} label. Also run against the packaged application by
 * {@link MetricsIT}.
 */
@QuarkusTest
class MetricsTest {

    private static final String COUNT = "tandem_rpc_server_seconds_count";
    private static final String SUM = "tandem_rpc_server_seconds_sum";
    private static final String BUCKET = "tandem_rpc_server_seconds_bucket";

    private static List<Sample> scrape() {
        String text = given().get("/q/metrics").then()
                .statusCode(200)
                .extract().asString();
        return PrometheusText.parse(text);
    }

    private static Map<String, String> rpc(String protocol, String service, String method, String code) {
        return Map.of("protocol", protocol, "service", service, "method", method, "code", code);
    }

    @Test
    void perRpcCountAndLatencyForBothProtocols() {
        Map<String, String> grpcHello = rpc("grpc", "helloworld.Greeter", "SayHello", "OK");
        Map<String, String> restHello = rpc("rest", "helloworld.Greeter", "SayHello", "OK");
        Map<String, String> grpcMissing = rpc("grpc", "user.v1.UserService", "GetUserById", "NOT_FOUND");
        Map<String, String> restMissing = rpc("rest", "user.v1.UserService", "GetUserById", "NOT_FOUND");
        List<Sample> before = scrape();

        GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(TestChannels.app());
        UserServiceGrpc.UserServiceBlockingStub users = UserServiceGrpc.newBlockingStub(TestChannels.app());
        for (int i = 0; i < 2; i++) {
            greeter.sayHello(HelloRequest.newBuilder().setName("metrics").build());
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> users.getUserById(GetUserRequest.newBuilder().setId(987_654_321).build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        for (int i = 0; i < 3; i++) {
            given().get("/v1/greeter/metrics").then().statusCode(200);
        }
        given().get("/v1/users/987654321").then().statusCode(404);

        List<Sample> after = scrape();
        assertEquals(2, delta(before, after, COUNT, grpcHello), "gRPC SayHello OK");
        assertEquals(3, delta(before, after, COUNT, restHello), "REST SayHello OK");
        assertEquals(1, delta(before, after, COUNT, grpcMissing), "gRPC GetUserById NOT_FOUND");
        assertEquals(1, delta(before, after, COUNT, restMissing), "REST GetUserById NOT_FOUND");
        for (Map<String, String> rpc : List.of(grpcHello, restHello, grpcMissing, restMissing)) {
            assertTrue(delta(before, after, SUM, rpc) > 0, () -> "latency sum grew for " + rpc);
            double all = PrometheusText.value(after, BUCKET, with(rpc, "le", "+Inf"));
            assertEquals(PrometheusText.value(after, COUNT, rpc), all, () -> "+Inf bucket = count for " + rpc);
            assertTrue(after.stream().anyMatch(s -> s.name().equals(BUCKET)
                    && s.labels().entrySet().containsAll(rpc.entrySet()) && s.labels().get("le").equals("0.005")),
                    () -> "5 ms bucket for " + rpc);
        }
    }

    @Test
    void quarkusSeriesDoNotDoubleReportRpcs() {
        GreeterGrpc.newBlockingStub(TestChannels.app()).sayHello(HelloRequest.newBuilder().setName("x").build());
        given().get("/v1/greeter/Some%20Name").then().statusCode(200);
        given().get("/v1/users/123456789").then().statusCode(404);
        List<Sample> samples = scrape();
        assertFalse(samples.stream().anyMatch(s -> s.name().startsWith("grpc_server")),
                "Quarkus's gRPC server binder is off (it would count REST calls as gRPC)");
        List<String> uris = samples.stream()
                .filter(s -> s.name().startsWith("http_server_requests_seconds"))
                .map(s -> s.labels().get("uri")).distinct().toList();
        assertTrue(uris.contains("/v1/greeter/{name}"), () -> "REST path variables folded: " + uris);
        assertTrue(uris.contains("/v1/users/{id}"), () -> "REST path variables folded: " + uris);
        assertFalse(uris.stream().anyMatch(u -> u.contains("helloworld.Greeter")), () -> "no gRPC paths: " + uris);
        assertFalse(uris.stream().anyMatch(u -> u.contains("Some") || u.contains("123456789")), () -> "no ids: " + uris);
    }

    private static double delta(List<Sample> before, List<Sample> after, String name, Map<String, String> labels) {
        return PrometheusText.value(after, name, labels) - PrometheusText.value(before, name, labels);
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        java.util.Map<String, String> m = new java.util.HashMap<>(labels);
        m.put(key, value);
        return m;
    }
}
