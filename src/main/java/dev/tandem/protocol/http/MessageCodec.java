package dev.tandem.protocol.http;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The binary (protobuf) form of one method's messages, for the edges that carry them: parses request
 * messages and writes response messages, bare or as a length-prefixed frame (one flags byte, a 4-byte
 * big-endian length, the bytes: grpc/grpc doc/PROTOCOL-HTTP2.md "Length-Prefixed-Message", the same
 * envelope gRPC-Web and Connect streaming use; {@link FrameReader} reads it). Thread-safe.
 *
 * @param <Q> request message type
 * @param <R> response message type
 */
public final class MessageCodec<Q, R> {

    private final MethodDescriptor<Q, R> method;
    private final MessageLite requestPrototype;

    /** @param method the method whose marshallers are used when its messages are not protobuf-java ones */
    public MessageCodec(MethodDescriptor<Q, R> method) {
        this.method = method;
        this.requestPrototype = method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
                && p.getMessagePrototype() instanceof MessageLite m ? m : null;
    }

    /**
     * @param bytes a serialized request message
     * @return the message, or {@code null} when the bytes are not one ({@code CallGuard} answers
     *     {@code INVALID_ARGUMENT} for a {@code null} message)
     */
    @SuppressWarnings("unchecked")
    public Q parse(byte[] bytes) {
        if (requestPrototype != null) {
            try {
                return (Q) requestPrototype.getParserForType().parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
        }
        try {
            return method.parseRequest(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param message a response message
     * @return its serialized bytes
     */
    public byte[] serialize(R message) {
        if (message instanceof MessageLite m) {
            return m.toByteArray();
        }
        try (InputStream in = method.streamResponse(message)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param flags the flags byte (0 for an uncompressed message)
     * @param payload the frame's bytes
     * @return the length-prefixed frame
     */
    public static Buffer frame(int flags, byte[] payload) {
        return Buffer.buffer(5 + payload.length).appendByte((byte) flags).appendInt(payload.length).appendBytes(payload);
    }

    /**
     * @param message a response message
     * @return it as an uncompressed length-prefixed frame, serialized straight into the frame's array
     */
    public Buffer frame(R message) {
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
        return frame(0, serialize(message));
    }
}
