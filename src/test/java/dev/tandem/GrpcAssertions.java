package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * Client-side checks of gRPC failures: the status code, and the {@code google.rpc.Status} details
 * read from the {@code grpc-status-details-bin} trailer with {@link StatusProto#fromThrowable}.
 */
public final class GrpcAssertions {

    private GrpcAssertions() {
    }

    /**
     * Asserts that {@code call} fails with {@code code} and a {@code google.rpc.Status} trailer.
     *
     * @return the {@code google.rpc.Status} the client received
     */
    public static com.google.rpc.Status assertStatus(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status: " + e.getStatus());
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertNotNull(status, "no grpc-status-details-bin trailer");
        assertEquals(code.value(), status.getCode());
        assertEquals(e.getStatus().getDescription(), status.getMessage());
        return status;
    }

    /**
     * Asserts {@code INVALID_ARGUMENT} with a {@code google.rpc.BadRequest} whose violated fields are
     * exactly {@code fields}, in order.
     */
    public static BadRequest assertInvalid(Executable call, String... fields) {
        BadRequest badRequest = detail(assertStatus(Status.Code.INVALID_ARGUMENT, call), BadRequest.class);
        assertEquals(List.of(fields),
                badRequest.getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList());
        return badRequest;
    }

    /** The one detail of type {@code type} in {@code status}; fails when absent. */
    public static <T extends Message> T detail(com.google.rpc.Status status, Class<T> type) {
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return any.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    fail(e);
                }
            }
        }
        return fail("no " + type.getSimpleName() + " detail in " + status);
    }
}
