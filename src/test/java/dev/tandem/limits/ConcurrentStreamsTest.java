package dev.tandem.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code quarkus.http.limits.max-concurrent-streams} (100) holds on the shared port: over one
 * HTTP/2 connection, {@code limit + 5} long-lived {@code grpc.health.v1.Health/Watch} streams are
 * opened; exactly {@code limit} of them are served (each gets its first status), the other 5 wait
 * in the client, which obeys the server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113, section
 * 5.1.2), until 5 of the served ones end; then they are served.
 *
 * <p>Meanwhile the test keeps making small calls on the connection, for grpc-java 1.79's client, not
 * for the server: when a stream ends it writes the HEADERS and DATA of the streams it was holding
 * back, but does not flush them, so they reach the server with the next write on the connection
 * (seen in the client's frame log).
 */
@QuarkusTest
class ConcurrentStreamsTest {

    private static final int EXTRA = 5;

    @ConfigProperty(name = "quarkus.http.limits.max-concurrent-streams")
    int limit;

    /** One Watch stream and whether it got its first message. */
    private record Watch(Context.CancellableContext context, AtomicBoolean served) {
    }

    @Test
    void oneConnectionRunsAtMostTheLimitOfStreamsAtOnce() throws Exception {
        assertEquals(100, limit);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
        List<Watch> watches = new ArrayList<>();
        try {
            for (int i = 0; i < limit + EXTRA; i++) {
                Watch w = new Watch(Context.current().withCancellation(), new AtomicBoolean());
                w.context().run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
                        new StreamObserver<HealthCheckResponse>() {
                            @Override
                            public void onNext(HealthCheckResponse r) {
                                w.served().set(true);
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        }));
                watches.add(w);
            }
            await(() -> served(watches) >= limit, "the first " + limit + " streams are served");
            Thread.sleep(1000); // a generous second in which the others could be served, were they let through
            assertEquals(limit, served(watches), "no more than the limit at once on one connection");

            // EXTRA served streams end (the client cancels them: RST_STREAM); the waiting ones go out. Small
            // calls on the same connection keep it flushed (grpc-java writes held-back streams without a
            // flush); whether they run or wait themselves does not matter.
            watches.stream().filter(w -> w.served().get()).limit(EXTRA).forEach(w -> w.context().cancel(null));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (served(watches) < limit + EXTRA) {
                assertTrue(System.nanoTime() < end, "timed out: the waiting streams start as others end");
                HealthGrpc.newStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                            @Override
                            public void onNext(HealthCheckResponse r) {
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        });
                Thread.sleep(200);
            }
            assertEquals(limit + EXTRA, served(watches));
        } finally {
            watches.forEach(w -> w.context().cancel(null));
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static long served(List<Watch> watches) {
        return watches.stream().filter(w -> w.served().get()).count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out: " + what);
            Thread.sleep(20);
        }
    }
}
