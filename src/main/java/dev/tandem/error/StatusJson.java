package dev.tandem.error;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import com.google.rpc.Status;

/**
 * The JSON form of a {@code google.rpc.Status}, the body of every error an HTTP protocol edge answers
 * (REST, and the HTTP-level refusals of every edge): {@code {"code":5,"message":"...","details":[...]}}
 * per the proto3 JSON mapping, with each detail an {@code Any} of a {@code google/rpc/error_details.proto}
 * type printed with its {@code @type}. Compact (no insignificant whitespace). Thread-safe.
 */
public final class StatusJson {

    /** The media type of the body, {@value}. */
    public static final String MEDIA_TYPE = "application/json";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(TypeRegistry.newBuilder().add(ErrorDetailsProto.getDescriptor().getMessageTypes()).build())
            .omittingInsignificantWhitespace();

    private StatusJson() {
    }

    /**
     * @param status a status; its details must be types of {@code google/rpc/error_details.proto}
     * @return its JSON text
     * @throws IllegalArgumentException when a detail has a type outside that file (a server bug)
     */
    public static String print(Status status) {
        try {
            return PRINTER.print(status);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a google.rpc.Status detail of an unknown type", e);
        }
    }
}
