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
 * its interceptors as a {@link dev.tandem.rpc.RequestFault}.
 *
 * <p>Response compression: every response message is gzip-compressed ({@code grpc-encoding: gzip},
 * flags bit 0 set) when the client lists {@code gzip} in {@code grpc-accept-encoding} and either the
 * request itself was gzip-compressed (grpc-go's default: answer with the compressor the client used)
 * or the service asked for it with {@link #setCompression(String) setCompression("gzip")} before its
 * first message (grpc-java's API). Otherwise responses are sent uncompressed, as grpc-java does.
 */
final class GrpcServerCall<Q, R> extends HttpServerCall<Q, R> {

    /** Response metadata not copied into HTTP headers: set by the protocol itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "grpc-encoding",
            "grpc-accept-encoding", "grpc-status", "grpc-message", ":status");

    private final String contentType;
    private final String encoding;
    private final int maxMessageBytes;
    private final MessageCodec<Q, R> codec;
    private final boolean clientAcceptsGzip;
    /** {@code true} to gzip response messages: set before the first message, read on any thread after. */
    private volatile boolean gzipResponses;

    GrpcServerCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String contentType, String encoding,
            int maxMessageBytes) {
        super(request, method, RpcCalls.GRPC);
        this.contentType = contentType;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
        this.codec = new MessageCodec<>(method);
        // grpc-accept-encoding is a plain comma-separated list of names, which Accept-Encoding's parser reads
        this.clientAcceptsGzip = Compression.acceptsGzip(request.getHeader("grpc-accept-encoding"));
        this.gzipResponses = clientAcceptsGzip && "gzip".equalsIgnoreCase(encoding);
    }

    /**
     * grpc-java's {@code ServerCall.setCompression}: {@code "gzip"} compresses the response messages
     * when the client accepts gzip; {@code "identity"} turns compression off; any other name is
     * ignored (the call is answered uncompressed). Call it before the first response message.
     *
     * @param compressor a compressor name
     */
    @Override
    public void setCompression(String compressor) {
        if ("identity".equalsIgnoreCase(compressor)) {
            gzipResponses = false;
        } else if ("gzip".equalsIgnoreCase(compressor)) {
            gzipResponses = clientAcceptsGzip;
        }
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
        return gzipResponses ? MessageCodec.frame(1, Compression.gzip(codec.serialize(message))) : codec.frame(message);
    }

    @Override
    protected void writeHeaders(Metadata headers) {
        response.setStatusCode(200);
        response.headers().add(HttpHeaders.CONTENT_TYPE, contentType);
        response.headers().add("grpc-accept-encoding", Compression.ACCEPTED);
        if (gzipResponses) {
            response.headers().add("grpc-encoding", "gzip");
        }
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
