package dev.tandem.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.GetUserResponse;
import dev.tandem.user.UserGrpcService;
import dev.tandem.user.UserService;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.runtime.BlockingOperationNotAllowedException;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking contract of the gRPC services: called on a Vert.x event loop (as the REST
 * transcoder's in-process server does, without {@code @Blocking}), they must not block it.
 */
@QuarkusTest
class OffloadTest {

    @Inject
    @GrpcService
    UserGrpcService userGrpc;

    @Inject
    UserService userService;

    @Inject
    Vertx vertx;

    @Test
    void offloadRunsTheWorkOnAWorkerThread() {
        Thread caller = Thread.currentThread();
        Thread worker = Offload.blocking(() -> {
            assertTrue(BlockingOperationControl.isBlockingAllowed());
            return Thread.currentThread();
        }).await().atMost(Duration.ofSeconds(10));
        assertNotSame(caller, worker);
    }

    @Test
    void grpcServiceCalledOnTheEventLoopAnswersFromAWorker() throws Exception {
        CompletableFuture<GetUserResponse> result = new CompletableFuture<>();
        CompletableFuture<Boolean> calledOnEventLoop = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            calledOnEventLoop.complete(Context.isOnEventLoopThread());
            userGrpc.getUserById(GetUserRequest.newBuilder().setId(1).build())
                    .subscribe().with(result::complete, result::completeExceptionally);
        });
        assertTrue(calledOnEventLoop.get(10, TimeUnit.SECONDS));
        assertEquals("Petar", result.get(10, TimeUnit.SECONDS).getUser().getFirstName());
    }

    /** Control: the check above is meaningful, because blocking work on the event loop is refused. */
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
