package dev.tandem.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.user.UserService;
import io.quarkus.runtime.BlockingOperationNotAllowedException;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No registered method can block an event loop: {@link ServiceDecorator} offloads every method to a
 * worker unless its implementation is annotated {@code @RunsOnEventLoop}, and the methods that are so
 * annotated are exactly the CPU-only ones listed here. A new RPC is offloaded without doing anything;
 * marking one {@code @RunsOnEventLoop} makes this test fail until it is added to the list (and so
 * reviewed).
 */
@QuarkusTest
class DispatchTest {

    /** Methods whose code runs on the event loop that delivers the call: CPU-only, never blocking. */
    static final Set<String> RUN_ON_THE_EVENT_LOOP = Set.of(
            "helloworld.Greeter/SayHello",
            "grpc.health.v1.Health/Check",
            "grpc.health.v1.Health/Watch",
            "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");

    @Inject
    RpcRegistry registry;

    @Inject
    UserService userService;

    @Inject
    Vertx vertx;

    @Test
    void everyMethodButTheListedCpuOnlyOnesRunsOnAWorker() {
        Set<String> inline = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (ServiceDecorator.Dispatch d : registry.dispatch()) {
            all.add(d.fullMethodName());
            if (!d.offloaded()) {
                inline.add(d.fullMethodName());
            }
        }
        assertEquals(new TreeSet<>(RUN_ON_THE_EVENT_LOOP), inline);
        assertTrue(all.contains("user.v1.UserService/GetUserById"), all::toString);
        assertEquals(all.size(), registry.dispatch().size(), "each method is registered once");
    }

    /** Control: offloading matters, because blocking work on the event loop is refused. */
    @Test
    void transactionalServiceOnTheEventLoopIsRefused() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            try {
                userService.get(GetUserRequest.newBuilder().setId(1).build());
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        Throwable t = failure.get(10, TimeUnit.SECONDS);
        assertInstanceOf(BlockingOperationNotAllowedException.class, t);
    }
}
