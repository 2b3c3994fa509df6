package dev.tandem.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Empty;
import com.google.rpc.BadRequest;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import dev.tandem.testing.api.FailingGrpc;
import dev.tandem.error.ApiErrors;
import dev.tandem.error.BadRequestBuilder;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link ErrorMapping}: what a failing service answers, on the wire too, leaks nothing. */
@QuarkusTest
class ErrorMappingTest {

    @GrpcClient("tandem")
    FailingGrpc.FailingBlockingStub failing;

    @Test
    void unexpectedFailuresBecomeInternalWithoutInternals() {
        StatusException e = ErrorMapping.toStatus(new IllegalStateException(
                "ERROR: relation \"users\" ... SELECT u.email FROM users u", new java.sql.SQLException("secret")));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("internal error", e.getStatus().getDescription());
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertEquals("internal error", status.getMessage());
        assertEquals(0, status.getDetailsCount());
        assertFalse(e.getStatus().getDescription().contains("Exception"));
    }

    @Test
    void aClientSeesInternalWithoutInternals() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> failing.fail(Empty.getDefaultInstance()));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("internal error", e.getStatus().getDescription());
        assertEquals("internal error", StatusProto.fromThrowable(e).getMessage());
        assertFalse(e.toString().contains("SELECT"));
        assertFalse(e.getTrailers().toString().contains("SELECT"));
    }

    @Test
    void apiErrorsKeepTheirDetailsEvenWhenWrapped() throws Exception {
        StatusRuntimeException notFound = ApiErrors.notFound("item", 7);
        StatusException e = ErrorMapping.toStatus(new CompletionException(notFound));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertSame(notFound.getTrailers(), e.getTrailers());
        assertEquals("items/7", StatusProto.fromThrowable(e).getDetails(0).unpack(ResourceInfo.class).getResourceName());
    }

    @Test
    void badRequestBuilderCollectsAllViolations() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> new BadRequestBuilder().check(true, "a", "fine").add("b", "bad").check(false, "c", "bad too").throwIfAny());
        BadRequest detail = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertEquals(2, detail.getFieldViolationsCount());
        assertEquals("invalid request: b bad; c bad too", e.getStatus().getDescription());
    }
}
