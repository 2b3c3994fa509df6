package dev.tandem.protocol.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.tandem.protocol.http.Compression;
import dev.tandem.protocol.http.FrameReader;
import dev.tandem.protocol.http.HttpMetadata;
import dev.tandem.protocol.http.HttpServerCall;
import dev.tandem.rpc.RpcCalls;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    private final MessageLite requestPrototype;

    GrpcServerCall(HttpServerRequest request, MethodDescriptor<Q, R> method, String contentType, String encoding,
            int maxMessageBytes) {
        super(request, method, RpcCalls.GRPC);
        this.contentType = contentType;
        this.encoding = encoding;
        this.maxMessageBytes = maxMessageBytes;
        this.requestPrototype = method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
                && p.getMessagePrototype() instanceof MessageLite m ? m : null;
    }

    @Override
    protected void startReading() {
        FrameReader reader = new FrameReader(maxMessageBytes, new FrameReader.Sink() {
            @Override
            public void frame(int flags, byte[] payload) {
                onFrame(flags, payload);
            }

            @Override
            public void failed(Status status) {
                fault(status);
            }
        });
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

    private void onFrame(int flags, byte[] payload) {
        byte[] message = payload;
        if ((flags & 1) != 0) {
            if (encoding == null) {
                fault(Status.INVALID_ARGUMENT.withDescription(
                        "a message is flagged compressed but the request has no grpc-encoding"));
                return;
            }
            try {
                message = Compression.inflate(encoding, payload, maxMessageBytes);
            } catch (StatusException e) {
                fault(e.getStatus());
                return;
            }
        }
        enqueue(parse(message));
    }

    @SuppressWarnings("unchecked")
    private Q parse(byte[] bytes) {
        if (requestPrototype != null) {
            try {
                return (Q) requestPrototype.getParserForType().parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                return null; // CallGuard answers INVALID_ARGUMENT
            }
        }
        return getMethodDescriptor().parseRequest(new ByteArrayInputStream(bytes));
    }

    @Override
    protected Object encode(R message) {
        if (message instanceof MessageLite m) {
            int size = m.getSerializedSize();
            byte[] frame = new byte[5 + size];
            frame[1] = (byte) (size >>> 24);
            frame[2] = (byte) (size >>> 16);
            frame[3] = (byte) (size >>> 8);
            frame[4] = (byte) size;
            CodedOutputStream out = CodedOutputStream.newInstance(frame, 5, size);
            try {
                m.writeTo(out);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Buffer.buffer(frame);
        }
        try (InputStream in = getMethodDescriptor().streamResponse(message)) {
            byte[] bytes = in.readAllBytes();
            Buffer b = Buffer.buffer(5 + bytes.length).appendByte((byte) 0).appendInt(bytes.length).appendBytes(bytes);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
