package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.TestChannels;
import dev.tandem.conformance.ConformanceGrpcService;
import dev.tandem.conformance.api.ConformanceGrpc;
import dev.tandem.conformance.api.Kitchen;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call that ended normally ends as completed on the server ({@code ServerCall.Listener.onComplete}),
 * never as cancelled: Vert.x closes every HTTP/2 stream, also after a response that ended normally,
 * and that close used to be taken for the client going away (an {@code onCancel} on the worker and a
 * cancellation exception for every successful call over HTTP/2).
 */
@QuarkusTest
class CallCompletionTest {

    @Test
    void aSuccessfulGrpcCallCompletesRatherThanBeingCancelled() throws Exception {
        for (int i = 0; i < 20; i++) {
            String name = "probe:" + UUID.randomUUID();
            Kitchen answer = ConformanceGrpc.newBlockingStub(TestChannels.app())
                    .echo(Kitchen.newBuilder().setName(name).build());
            assertEquals(name, answer.getName());
            CompletableFuture<String> end = ConformanceGrpcService.PROBE_ENDS.get(name);
            assertEquals("complete", end.get(10, TimeUnit.SECONDS), "how call " + i + " ended on the server");
        }
    }
}
