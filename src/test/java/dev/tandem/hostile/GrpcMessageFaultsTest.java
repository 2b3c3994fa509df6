package dev.tandem.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestChannels;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.protocol.HttpExchange;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client faults in gRPC messages, over real HTTP/2 (grpc-java, and Vert.x's HTTP/2 client for frames
 * grpc-java will not write), each answered with the status of a client fault, never {@code INTERNAL},
 * with nothing written and no stack trace in the server's log:
 *
 * <ul>
 *   <li>a gzip message that inflates beyond {@code tandem.limits.max-message-size} (a "zip bomb",
 *       20 MiB from about 20 KiB): {@code RESOURCE_EXHAUSTED};</li>
 *   <li>two messages on a unary call: {@code INVALID_ARGUMENT};</li>
 *   <li>a message flagged compressed on a call without {@code grpc-encoding}: {@code
 *       INVALID_ARGUMENT}.</li>
 * </ul>
 */
@QuarkusTest
class GrpcMessageFaultsTest {

    private static final String CREATE_ITEM = "orders.v1.ItemService/CreateItem";

    @Inject
    TestDb db;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL server;

    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
    }

    private void assertNoStackTraceLogged() {
        synchronized (logged) {
            for (LogRecord r : logged) {
                assertTrue(r.getThrown() == null, () -> "logged with a stack trace: " + r.getLoggerName() + " "
                        + r.getLevel() + " " + r.getMessage() + " " + r.getThrown());
            }
        }
    }

    @Test
    void aGzipBombIsResourceExhausted() {
        String before = db.snapshot();
        CreateItemRequest bomb = CreateItemRequest.newBuilder().setName("x".repeat(20 << 20)).build();
        ItemServiceGrpc.ItemServiceBlockingStub items = ItemServiceGrpc.newBlockingStub(TestChannels.app())
                .withCompression("gzip").withDeadlineAfter(60, TimeUnit.SECONDS);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> items.createItem(bomb));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("inflates"), e.getStatus().toString());
        assertEquals(before, db.snapshot(), "nothing written");
        // a compressed message within the limit is served
        assertEquals("gzipped", items.createItem(CreateItemRequest.newBuilder().setName("gzipped").build()).getName());
        assertNoStackTraceLogged();
    }

    @Test
    void twoMessagesOnAUnaryCallAreInvalidArgument() throws Exception {
        String before = db.snapshot();
        MethodDescriptor<CreateItemRequest, Item> asStream = ItemServiceGrpc.getCreateItemMethod().toBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING).build();
        ClientCall<CreateItemRequest, Item> call = TestChannels.app().newCall(asStream,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(2);
        call.sendMessage(CreateItemRequest.newBuilder().setName("first").build());
        call.sendMessage(CreateItemRequest.newBuilder().setName("second").build());
        call.halfClose();
        Status status = closed.get(30, TimeUnit.SECONDS);
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertEquals(before, db.snapshot(), "nothing written");
        assertNoStackTraceLogged();
    }

    @Test
    void aCompressedFlagWithoutGrpcEncodingIsInvalidArgument() throws Exception {
        String before = db.snapshot();
        byte[] message = CreateItemRequest.newBuilder().setName("flagged").build().toByteArray();
        Buffer frame = Buffer.buffer().appendByte((byte) 1).appendInt(message.length).appendBytes(message);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            HttpClientResponse response = HttpExchange.onOneContext(vertx, () -> client.request(new RequestOptions()
                            .setMethod(HttpMethod.POST).setHost(server.getHost())
                            .setPort(server.getPort()).setURI("/" + CREATE_ITEM)
                            .putHeader("content-type", "application/grpc").putHeader("te", "trailers"))
                    .compose(req -> req.send(frame))
                    .compose(resp -> resp.body().map(b -> resp)));
            assertEquals(HttpVersion.HTTP_2, response.version());
            String grpcStatus = response.trailers().get("grpc-status") != null
                    ? response.trailers().get("grpc-status") : response.getHeader("grpc-status");
            assertEquals(String.valueOf(Status.Code.INVALID_ARGUMENT.value()), grpcStatus,
                    response.headers() + " / " + response.trailers());
        } finally {
            client.close();
        }
        assertEquals(before, db.snapshot(), "nothing written");
        assertNoStackTraceLogged();
    }
}
