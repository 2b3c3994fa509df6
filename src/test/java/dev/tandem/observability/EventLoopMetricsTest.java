package dev.tandem.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.observability.PrometheusText.Sample;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoopMetrics}: {@code /q/metrics} has one {@code netty_eventexecutor_workers} gauge per
 * Vert.x event-loop group, tagged {@code group}, with that group's number of loops, and a {@code
 * netty_eventexecutor_tasks_pending} gauge per loop. (Before, Quarkus's untagged binder showed one
 * series for both groups and warned at start-up; {@code BinRunIT} checks the start-up log.)
 */
@QuarkusTest
class EventLoopMetricsTest {

    @Inject
    Vertx vertx;

    @Test
    void oneWorkersGaugePerGroupAndOnePendingGaugePerLoop() {
        List<Sample> samples = PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
        VertxInternal v = (VertxInternal) vertx;
        int loops = count(v.getEventLoopGroup());
        int acceptors = count(v.getAcceptorEventLoopGroup());

        List<Sample> workers = samples.stream().filter(s -> s.name().equals("netty_eventexecutor_workers")).toList();
        assertEquals(2, workers.size(), () -> "one series per group: " + workers);
        assertEquals(loops, PrometheusText.value(samples, "netty_eventexecutor_workers", Map.of("group", "event-loop")));
        assertEquals(acceptors, PrometheusText.value(samples, "netty_eventexecutor_workers", Map.of("group", "acceptor")));

        List<Sample> pending = samples.stream().filter(s -> s.name().equals("netty_eventexecutor_tasks_pending")).toList();
        assertEquals(loops, pending.stream().filter(s -> "event-loop".equals(s.labels().get("group"))).count(), () -> "" + pending);
        assertEquals(acceptors, pending.stream().filter(s -> "acceptor".equals(s.labels().get("group"))).count(), () -> "" + pending);
        assertEquals(loops + acceptors, pending.stream().map(s -> s.labels().get("name")).distinct().count(), "one series per loop thread");
    }

    private static int count(Iterable<?> group) {
        int n = 0;
        for (Object ignored : group) {
            n++;
        }
        return n;
    }
}
