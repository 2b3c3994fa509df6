package dev.tandem.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.MessageLite;
import dev.tandem.TestChannels;
import dev.tandem.conformance.ConformanceGrpcService;
import dev.tandem.conformance.api.ConformanceGrpc;
import dev.tandem.conformance.api.Kitchen;
import dev.tandem.api.helloworld.GreeterGrpc;
import dev.tandem.api.helloworld.HelloReply;
import dev.tandem.api.helloworld.HelloRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a unary call ends, on both sides of the wire.
 *
 * <ul>
 *   <li>A call that ended normally ends as completed on the server ({@code
 *       ServerCall.Listener.onComplete}), never as cancelled: Vert.x closes every HTTP/2 stream, also
 *       after a response that ended normally, and that close used to be taken for the client going
 *       away (an {@code onCancel} on the worker and a cancellation exception for every successful
 *       call over HTTP/2).</li>
 *   <li>A unary gRPC answer is response headers without {@code content-length}, one length-prefixed
 *       message and trailers with {@code grpc-status: 0}, whether the method ran on a worker ({@code
 *       Echo}) or on the event loop ({@code SayHello}). Writing the message with the end of the
 *       response ({@code end(message)}) would add a {@code content-length}, after which curl stops
 *       reading before the trailers: an attempt to save a write did that, and this test caught it.</li>
 * </ul>
 */
@QuarkusTest
class CallCompletionTest {

    @Inject
    Vertx vertx;

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

    @Test
    void aUnaryGrpcAnswerIsHeadersOneMessageAndTrailers() throws Exception {
        Kitchen kitchen = Kitchen.newBuilder().setName("wire").build();
        assertUnaryAnswer(ConformanceGrpc.getEchoMethod().getFullMethodName(), kitchen, kitchen);
        assertUnaryAnswer(GreeterGrpc.getSayHelloMethod().getFullMethodName(),
                HelloRequest.newBuilder().setName("wire").build(), HelloReply.newBuilder().setMessage("Hello wire").build());
    }

    private void assertUnaryAnswer(String method, MessageLite request, MessageLite expected) throws Exception {
        HttpExchange x = HttpExchange.send(vertx, HttpVersion.HTTP_2, HttpMethod.POST, "/" + method,
                Map.of("content-type", "application/grpc", "te", "trailers"), frame(request));
        assertEquals(200, x.status(), method);
        assertEquals("application/grpc", x.headers().get("content-type"), method);
        assertNull(x.headers().get("content-length"), method + ": a gRPC response has no content-length");
        assertEquals("0", x.trailers().get("grpc-status"), method + ": trailers " + x.trailers());
        assertEquals(frame(expected), x.body(), method + ": one length-prefixed message");
    }

    private static Buffer frame(MessageLite message) {
        byte[] bytes = message.toByteArray();
        return Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
    }
}
