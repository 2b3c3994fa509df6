package dev.tandem.protocol.connect;

import com.google.protobuf.Any;
import dev.tandem.error.HttpStatusMapping;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Connect's form of an error (connectrpc.com/docs/protocol, "Error"): a JSON object {@code
 * {"code":"not_found","message":"...","details":[{"type":"google.rpc.BadRequest","value":"<base64>"}]}}
 * whose code is the lower snake case name of the gRPC code ({@code CANCELLED} is {@code canceled}),
 * each detail the fully-qualified type name and the base64 (unpadded) protobuf bytes of one {@code
 * google.rpc.Status} detail. A unary error's HTTP status is {@link HttpStatusMapping}'s, which is
 * Connect's table code for code (checked by {@code ConnectStatusTest}).
 */
final class ConnectErrors {

    /** The media type of a unary error body. */
    static final String JSON = "application/json";

    private ConnectErrors() {
    }

    /**
     * @param code a gRPC code, not OK
     * @return Connect's name for it, e.g. {@code invalid_argument}
     */
    static String codeName(Status.Code code) {
        return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param code a gRPC code
     * @return the HTTP status of a unary Connect error with it
     */
    static int httpStatus(Status.Code code) {
        return HttpStatusMapping.httpStatus(code);
    }

    /**
     * @param status the call's status, not OK
     * @param trailers its trailers; the {@code google.rpc.Status} details come from its {@code
     *     grpc-status-details-bin}
     * @return the Connect error object
     */
    static JsonObject error(Status status, Metadata trailers) {
        com.google.rpc.Status rpc = StatusProto.fromStatusAndTrailers(status, trailers);
        JsonObject error = new JsonObject().put("code", codeName(status.getCode()));
        if (!rpc.getMessage().isEmpty()) {
            error.put("message", rpc.getMessage());
        }
        if (rpc.getDetailsCount() > 0) {
            JsonArray details = new JsonArray();
            for (Any d : rpc.getDetailsList()) {
                String url = d.getTypeUrl();
                details.add(new JsonObject()
                        .put("type", url.substring(url.lastIndexOf('/') + 1))
                        .put("value", Base64.getEncoder().withoutPadding().encodeToString(d.getValue().toByteArray())));
            }
            error.put("details", details);
        }
        return error;
    }

    /**
     * @param code the code
     * @param message the message
     * @return the UTF-8 JSON of an error without details
     */
    static byte[] body(Status.Code code, String message) {
        return error(Status.fromCode(code).withDescription(message), new Metadata()).encode()
                .getBytes(StandardCharsets.UTF_8);
    }
}
