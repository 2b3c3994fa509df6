package dev.tandem.protocol.connect;

import com.google.protobuf.Message;
import dev.tandem.protocol.http.MessageCodec;
import dev.tandem.transcoding.JsonCodec;
import dev.tandem.transcoding.TranscodingException;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A Connect codec of one method's messages (connectrpc.com/docs/protocol, "Codecs"): {@code proto}
 * (the binary form, {@link MessageCodec}) or {@code json} (the proto3 JSON mapping, through the same
 * {@link JsonCodec} as the REST facade: the same nesting limit and type checks; unknown fields are
 * ignored, as connect-go does; fields with no presence are printed). Thread-safe.
 */
final class ConnectCodec<Q, R> {

    private static final JsonCodec JSON = new JsonCodec(true);

    private final boolean json;
    private final MessageCodec<Q, R> binary;
    private final Message requestPrototype;

    /**
     * @param method the method
     * @param json {@code true} for the JSON codec, {@code false} for proto
     */
    ConnectCodec(MethodDescriptor<Q, R> method, boolean json) {
        this.json = json;
        this.binary = new MessageCodec<>(method);
        this.requestPrototype = method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p
                && p.getMessagePrototype() instanceof Message m ? m : null;
    }

    /** @return whether this is the JSON codec */
    boolean json() {
        return json;
    }

    /**
     * @param bytes one encoded request message
     * @return the message; {@code null} for bytes that are not a proto message (as on gRPC)
     * @throws StatusException {@code INVALID_ARGUMENT} for JSON that is not the message's
     */
    @SuppressWarnings("unchecked")
    Q parse(byte[] bytes) throws StatusException {
        if (!json) {
            return binary.parse(bytes);
        }
        if (requestPrototype == null) {
            throw Status.INTERNAL.withDescription("this method has no JSON form").asException();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Status.INVALID_ARGUMENT.withDescription("the request message is not valid UTF-8").asException();
        }
        Message.Builder builder = requestPrototype.newBuilderForType();
        if (!text.isBlank()) {
            try {
                JSON.merge(text, builder, "body");
            } catch (TranscodingException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.status().getMessage()).asException();
            }
        }
        return (Q) builder.build();
    }

    /**
     * @param message a response message
     * @return its encoded bytes
     */
    byte[] encode(R message) {
        if (json && message instanceof Message m) {
            return JSON.print(m).getBytes(StandardCharsets.UTF_8);
        }
        return binary.serialize(message);
    }
}
