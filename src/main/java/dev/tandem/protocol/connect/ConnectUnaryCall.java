package dev.tandem.protocol.connect;

import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.protocol.http.HttpServerCall;
import dev.tandem.rpc.RpcCalls;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Set;

/**
 * One unary Connect call (connectrpc.com/docs/protocol, "Unary-Request" and "Unary-Response"): the
 * request message is the whole body of a {@code POST} (undone of its {@code Content-Encoding}) or the
 * {@code message} query parameter of a {@code GET}; the answer is HTTP 200 with the encoded response
 * message, the response metadata as headers and the trailing metadata as {@code trailer-<name>}
 * headers; or, on failure, the HTTP status of the code with Connect's JSON error body ({@link
 * ConnectErrors}) and the same headers.
 *
 * <p>Limits: a body (or inflated body) over {@code maxMessageBytes} ends the call {@code
 * RESOURCE_EXHAUSTED}; corrupt compressed data and JSON that is not the request message are {@code
 * INVALID_ARGUMENT}; all reach the call through its interceptors ({@link dev.tandem.rpc.RequestFault}).
 *
 * <p>A response message over {@link #GZIP_MIN_BYTES} is gzip-compressed ({@code Content-Encoding:
 * gzip}) when the request's {@code Accept-Encoding} accepts gzip, as Connect's unary responses are
 * (connectrpc.com/docs/protocol, "Unary-Response"); error bodies are not compressed.
 */
final class ConnectUnaryCall<Q, R> extends HttpServerCall<Q, R> {

    /** Trailing metadata that Connect carries in the error body instead. */
    private static final Set<String> NOT_TRAILERS = Set.of("grpc-status", "grpc-message", "grpc-status-details-bin");
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-encoding", "accept-encoding",
            "grpc-status", "grpc-message", "grpc-status-details-bin");

    /** Smaller response messages are sent uncompressed: connect-es's default {@code compressMinBytes}. */
    static final int GZIP_MIN_BYTES = 1024;

    private final ConnectCodec<Q, R> codec;
    private final byte[] queryMessage;
    private final String encoding;
    private final int maxMessageBytes;
    private Metadata responseHeaders;
    private byte[] body;

    /**
     * @param queryMessage the message of a {@code GET} (already decoded from the query, still
     *     compressed if {@code encoding} says so), or {@code null} to read the body of a {@code POST}
     * @param encoding the request's content encoding, {@code null} for identity
     */
    ConnectUnaryCall(HttpServerRequest request, MethodDescriptor<Q, R> method, ConnectCodec<Q, R> codec,
            byte[] queryMessage, String encoding, int maxMessageBytes) {
        super(request, method, RpcCalls.CONNECT);
        this.codec = codec;
        this.queryMessage = queryMessage;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void startReading() {
        if (queryMessage != null) {
            deliver(queryMessage);
            return;
        }
        Buffer received = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (received.length() + chunk.length() > maxMessageBytes) {
                tooLarge[0] = true;
                fault(Status.RESOURCE_EXHAUSTED.withDescription(
                        "the request message is larger than the limit of " + maxMessageBytes + " bytes"));
                return;
            }
            received.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!tooLarge[0] && !closed()) {
                deliver(received.getBytes());
            }
        });
        request.resume();
    }

    private void deliver(byte[] bytes) {
        try {
            byte[] message = encoding == null ? bytes : Compression.inflate(encoding, bytes, maxMessageBytes);
            if (message.length > maxMessageBytes) {
                throw Status.RESOURCE_EXHAUSTED.withDescription(
                        "the request message is larger than the limit of " + maxMessageBytes + " bytes").asException();
            }
            enqueue(codec.parse(message));
            endOfInput();
        } catch (StatusException e) {
            fault(e.getStatus());
        }
    }

    @Override
    protected Object encode(R message) {
        return codec.encode(message);
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        responseHeaders = headers;
    }

    @Override
    protected void writeMessage(Object encoded) {
        body = (byte[]) encoded;
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        HttpMetadata.toHeaders(responseHeaders, response.headers(), RESERVED_HEADERS);
        MultiMap trailing = MultiMap.caseInsensitiveMultiMap();
        HttpMetadata.toHeaders(trailers, trailing, NOT_TRAILERS);
        for (Map.Entry<String, String> t : trailing) {
            response.headers().add("trailer-" + t.getKey(), t.getValue());
        }
        if (status.isOk() && body != null) {
            response.setStatusCode(200);
            response.putHeader(HttpHeaders.CONTENT_TYPE, codec.json() ? ConnectEdge.JSON : ConnectEdge.PROTO);
            if (body.length > GZIP_MIN_BYTES && Compression.acceptsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))) {
                response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
                return response.end(Buffer.buffer(Compression.gzip(body)));
            }
            return response.end(Buffer.buffer(body));
        }
        Status failure = status.isOk() ? Status.INTERNAL.withDescription("the RPC returned no response") : status;
        response.setStatusCode(ConnectErrors.httpStatus(failure.getCode()));
        response.putHeader(HttpHeaders.CONTENT_TYPE, ConnectErrors.JSON);
        return response.end(ConnectErrors.error(failure, trailers).toBuffer());
    }
}
