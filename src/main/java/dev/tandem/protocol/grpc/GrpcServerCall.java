package dev.tandem.protocol.grpc;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * One gRPC call over HTTP/2 on the shared HTTP port, per grpc/grpc doc/PROTOCOL-HTTP2.md: the request
 * body is a sequence of length-prefixed messages ({@link FrameReader}), each optionally compressed
 * with the request's {@code grpc-encoding}; the response is headers ({@code :status 200}, {@code
 * content-type}), length-prefixed messages, and trailers with {@code grpc-status}, {@code
 * grpc-message} and the trailing metadata; a call that fails before any message answers a
 * trailers-only response.
 *
 * <p>Limits: a message over {@code maxMessageBytes} (declared length, or inflated size for a
 * compressed one) ends the call {@code RESOURCE_EXHAUSTED}; a compressed message without a {@code
 * grpc-encoding}, or corrupt compressed data, {@code INVALID_ARGUMENT}; these reach the call through
 * its interceptors as a {@link dev.tandem.rpc.RequestFault}. Responses are not compressed.
 */
final class GrpcServerCall<Q, R> extends HttpServerCall<Q, R> {

    /** Response metadata not copied into HTTP headers: set by the protocol itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "grpc-encoding",
            "grpc-accept-encoding", "grpc-status", "grpc-message", ":status");

    private final String contentType;
    private final String encoding;
    private final int maxMessageBytes;
    private final MessageCodec<Q, R> codec;

    GrpcServerCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String contentType, String encoding,
            int maxMessageBytes) {
        super(request, method, RpcCalls.GRPC);
        this.contentType = contentType;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
        this.codec = new MessageCodec<>(method);
    }

    @Override
    protected void startReading() {
        FrameReader reader = messageReader(maxMessageBytes, encoding, "grpc-encoding", codec::parse);
        request.handler(reader::feed);
        request.endHandler(v -> {
            if (!reader.failed() && !reader.atBoundary()) {
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
        response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
        response.headers().add("grpc-accept-encoding", Compression.ACCEPTED);
        HttpMetadata.toHeaders(headers, response.headers(), RESERVED_HEADERS);
    }

    @Override
    protected void writeMessage(Object encoded) {
        response.write((Buffer) encoded);
    }

    @Override
    protected Future<Void> writeClose(Status status, Metadata trailers, boolean headersSent) {
        if (!headersSent) {
            // trailers-only: one HEADERS frame with END_STREAM
            response.setStatusCode(200);
            response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
            GrpcStatusHeaders.write(status, trailers, response.headers());
            return response.end();
        }
        GrpcStatusHeaders.write(status, trailers, response.trailers());
        return response.end();
    }
}
