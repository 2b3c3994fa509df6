package dev.tandem.protocol.connect;

import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.FrameReader;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.protocol.http.HttpServerCall;
import dev.tandem.protocol.http.MessageCodec;
import dev.tandem.rpc.RpcCalls;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One streaming Connect call (connectrpc.com/docs/protocol, "Streaming-Request" and
 * "Streaming-Response"), {@code application/connect+proto} or {@code application/connect+json}: the
 * request body is enveloped messages ({@link FrameReader}; flag {@code 0x01} compressed with {@code
 * Connect-Content-Encoding}); the response is HTTP 200 with the response metadata as headers, one
 * envelope per message, and a last envelope with flag {@code 0x02}, the end-of-stream message {@code
 * {"error":{...},"metadata":{"name":["value"]}}} (error only on failure, {@link ConnectErrors}), which
 * carries the trailing metadata. Failures before the first message are answered the same way, still
 * HTTP 200. Limits as in {@code GrpcServerCall}.
 */
final class ConnectStreamCall<Q, R> extends HttpServerCall<Q, R> {

    private static final int END_STREAM = 0x02;
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "connect-content-encoding",
            "connect-accept-encoding", "grpc-status", "grpc-message", "grpc-status-details-bin");
    private static final Set<String> NOT_TRAILERS = Set.of("grpc-status", "grpc-message", "grpc-status-details-bin");

    private final String contentType;
    private final ConnectCodec<Q, R> codec;
    private final String encoding;
    private final int maxMessageBytes;

    ConnectStreamCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String contentType,
            ConnectCodec<Q, R> codec, String encoding, int maxMessageBytes) {
        super(request, method, RpcCalls.CONNECT);
        this.contentType = contentType;
        this.codec = codec;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void startReading() {
        FrameReader reader = messageReader(maxMessageBytes, encoding, "Connect-Content-Encoding", codec::parse);
        request.handler(reader::feed);
        request.endHandler(v -> {
            if (reader.failed() || closed()) {
                return;
            }
            if (!reader.atBoundary()) {
                fault(Status.INVALID_ARGUMENT.withDescription("the request ended inside an enveloped message"));
                return;
            }
            endOfInput();
        });
        request.resume();
    }

    @Override
    protected Object encode(R message) {
        return MessageCodec.frame(0, codec.encode(message));
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        start();
        HttpMetadata.toHeaders(headers, response.headers(), RESERVED_HEADERS);
    }

    private void start() {
        response.setStatusCode(200);
        response.setChunked(true);
        response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
        response.headers().add("connect-accept-encoding", Compression.ACCEPTED);
    }

    @Override
    protected void writeMessage(Object encoded) {
        response.write((Buffer) encoded);
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        if (!headersSent) {
            start();
        }
        JsonObject end = new JsonObject();
        if (!status.isOk()) {
            end.put("error", ConnectErrors.error(status, trailers));
        }
        MultiMap trailing = MultiMap.caseInsensitiveMultiMap();
        HttpMetadata.toHeaders(trailers, trailing, NOT_TRAILERS);
        if (!trailing.isEmpty()) {
            JsonObject metadata = new JsonObject();
            for (Map.Entry<String, String> t : trailing) {
                JsonArray values = metadata.getJsonArray(t.getKey());
                if (values == null) {
                    values = new JsonArray();
                    metadata.put(t.getKey(), values);
                }
                values.add(t.getValue());
            }
            end.put("metadata", metadata);
        }
        return response.end(MessageCodec.frame(END_STREAM, end.encode().getBytes(StandardCharsets.UTF_8)));
    }
}
