package dev.tandem.protocol.grpcweb;

import dev.tandem.protocol.grpc.GrpcStatusHeaders;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * One gRPC-Web call, per grpc/grpc doc/PROTOCOL-WEB.md: the request body is length-prefixed messages
 * ({@link FrameReader}) as in gRPC; the response is HTTP 200 with the response metadata as headers,
 * the length-prefixed messages, and then, instead of HTTP trailers, a trailers frame (flags {@code
 * 0x80}) whose payload is the trailers in HTTP/1.1 header form: {@code grpc-status}, {@code
 * grpc-message}, {@code grpc-status-details-bin} and the trailing metadata, lower-case names, each
 * line ending in CRLF. A call that fails before any message answers trailers-only: the status in the
 * HTTP headers, an empty body.
 *
 * <p>{@code application/grpc-web-text}: request and response bodies are base64; the request may be
 * sent in padded chunks (decoded 4 characters at a time), and each response write is encoded on its
 * own, padded, as the protocol allows. On HTTP/1.1 the response is chunked, so server streams work.
 * Limits, compression and malformed frames are handled as in {@code GrpcServerCall}.
 */
final class GrpcWebServerCall<Q, R> extends HttpServerCall<Q, R> {

    /** Response metadata not copied into HTTP headers: set by the protocol itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "grpc-encoding",
            "grpc-accept-encoding", "grpc-status", "grpc-message", ":status");

    private static final int TRAILERS_FLAG = 0x80;

    private final String contentType;
    private final boolean text;
    private final String encoding;
    private final int maxMessageBytes;
    private final MessageCodec<Q, R> codec;

    GrpcWebServerCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String contentType, boolean text,
            String encoding, int maxMessageBytes) {
        super(request, method, RpcCalls.GRPC_WEB);
        this.contentType = contentType;
        this.text = text;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
        this.codec = new MessageCodec<>(method);
    }

    @Override
    protected void startReading() {
        FrameReader reader = messageReader(maxMessageBytes, encoding, "grpc-encoding", codec::parse);
        Base64Chunks base64 = text ? new Base64Chunks() : null;
        request.handler(chunk -> {
            if (base64 == null) {
                reader.feed(chunk);
                return;
            }
            Buffer decoded = base64.decode(chunk);
            if (decoded == null) {
                fault(Status.INVALID_ARGUMENT.withDescription("the grpc-web-text request body is not base64"));
            } else {
                reader.feed(decoded);
            }
        });
        request.endHandler(v -> {
            if (reader.failed() || closed()) {
                return;
            }
            if (!reader.atBoundary() || (base64 != null && base64.pending())) {
                fault(Status.INVALID_ARGUMENT.withDescription("the request ended inside a length-prefixed message"));
                return;
            }
            endOfInput();
        });
        request.resume();
    }

    @Override
    protected Object encode(R message) {
        return codec.frame(message);
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        response.setStatusCode(200);
        response.setChunked(true);
        response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
        response.headers().add("grpc-accept-encoding", Compression.ACCEPTED);
        HttpMetadata.toHeaders(headers, response.headers(), RESERVED_HEADERS);
    }

    @Override
    protected void writeMessage(Object encoded) {
        response.write(wire((Buffer) encoded));
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        if (!headersSent) {
            response.setStatusCode(200);
            response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
            GrpcStatusHeaders.write(status, trailers, response.headers());
            return response.end();
        }
        MultiMap fields = MultiMap.caseInsensitiveMultiMap();
        GrpcStatusHeaders.write(status, trailers, fields);
        StringBuilder block = new StringBuilder(64);
        for (Map.Entry<String, String> f : fields) {
            block.append(f.getKey()).append(": ").append(f.getValue()).append("\r\n");
        }
        return response.end(wire(MessageCodec.frame(TRAILERS_FLAG, block.toString().getBytes(StandardCharsets.US_ASCII))));
    }

    private Buffer wire(Buffer frame) {
        return text ? Buffer.buffer(Base64.getEncoder().encode(frame.getBytes())) : frame;
    }

    /** Decodes base64 that arrives in arbitrary chunks, possibly as several padded pieces. */
    private static final class Base64Chunks {
        private final byte[] quad = new byte[4];
        private int filled;

        /** @return the decoded bytes of the complete 4-character groups so far, or null if not base64 */
        Buffer decode(Buffer chunk) {
            Buffer out = Buffer.buffer(chunk.length() * 3 / 4 + 3);
            for (int i = 0; i < chunk.length(); i++) {
                byte c = chunk.getByte(i);
                if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                    continue;
                }
                quad[filled++] = c;
                if (filled == 4) {
                    filled = 0;
                    try {
                        out.appendBytes(Base64.getDecoder().decode(quad));
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }
            }
            return out;
        }

        boolean pending() {
            return filled != 0;
        }
    }
}
