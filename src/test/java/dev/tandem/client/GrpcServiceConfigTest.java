package dev.tandem.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The published gRPC service config ({@link PublishedServiceConfig}) is one grpc-java accepts and
 * acts on: a channel built with it as its default service config ({@code
 * ManagedChannelBuilder.defaultServiceConfig}; grpc-java refuses to build a channel whose default
 * config is invalid, e.g. names an unknown load-balancing policy) retries {@code UNAVAILABLE} up to
 * 5 attempts in all and no other code (the server here has no health service, which per the
 * health-checking protocol makes a client treat it as healthy). The server is an in-process one whose Greeter fails a set
 * number of calls first: no network, no Tandem, just the client library and the file.
 */
class GrpcServiceConfigTest {

    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int failFirst;
    private volatile Status failWith = Status.UNAVAILABLE;
    private Server server;
    private String name;

    @BeforeEach
    void startServer() throws Exception {
        name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new GreeterGrpc.GreeterImplBase() {
            @Override
            public void sayHello(HelloRequest request, StreamObserver<HelloReply> response) {
                if (attempts.incrementAndGet() <= failFirst) {
                    response.onError(failWith.withDescription("attempt " + attempts.get()).asRuntimeException());
                    return;
                }
                response.onNext(HelloReply.newBuilder().setMessage("Hello " + request.getName()).build());
                response.onCompleted();
            }
        }).build().start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void namesRoundRobinHealthChecksAndARetryPolicyForUnavailable() {
        Map<String, ?> config = PublishedServiceConfig.map();
        assertEquals(List.of(Map.of("round_robin", Map.of())), config.get("loadBalancingConfig"));
        assertEquals(Map.of("serviceName", ""), config.get("healthCheckConfig"));
        @SuppressWarnings("unchecked")
        Map<String, ?> retry = (Map<String, ?>) ((Map<String, ?>) ((List<?>) config.get("methodConfig")).get(0))
                .get("retryPolicy");
        assertEquals(5.0, retry.get("maxAttempts"));
        assertEquals(List.of("UNAVAILABLE"), retry.get("retryableStatusCodes"));
    }

    @Test
    void unavailableIsRetriedUntilTheFifthAttempt() throws Exception {
        failFirst = 4;
        ManagedChannel channel = channel(PublishedServiceConfig.map());
        try {
            assertEquals("Hello retry", GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("retry").build()).getMessage());
            assertEquals(5, attempts.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void givesUpAfterFiveAttempts() throws Exception {
        failFirst = 6;
        ManagedChannel channel = channel(PublishedServiceConfig.map());
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("x").build()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals(5, attempts.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void otherCodesAreNotRetried() throws Exception {
        failFirst = 1;
        failWith = Status.ABORTED;
        ManagedChannel channel = channel(PublishedServiceConfig.map());
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> GreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).sayHello(HelloRequest.newBuilder().setName("x").build()));
            assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
            assertEquals(1, attempts.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The check above is real: grpc-java refuses a default config with an unknown policy. */
    @Test
    void grpcJavaRefusesAnInvalidConfig() {
        Map<String, ?> bad = PublishedServiceConfig.parse(PublishedServiceConfig.json().replace("round_robin", "no_such_policy"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> channel(bad));
        assertTrue(e.getMessage().contains("no_such_policy"), e.getMessage());
    }

    private ManagedChannel channel(Map<String, ?> serviceConfig) {
        return InProcessChannelBuilder.forName(name).directExecutor().defaultServiceConfig(serviceConfig)
                .enableRetry().build();
    }
}
