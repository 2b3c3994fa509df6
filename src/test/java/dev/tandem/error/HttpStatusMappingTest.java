package dev.tandem.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status.Code;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every google.rpc.Code against the HTTP status given in google/rpc/code.proto. */
class HttpStatusMappingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            OK, 200
            CANCELLED, 499
            UNKNOWN, 500
            INVALID_ARGUMENT, 400
            DEADLINE_EXCEEDED, 504
            NOT_FOUND, 404
            ALREADY_EXISTS, 409
            PERMISSION_DENIED, 403
            RESOURCE_EXHAUSTED, 429
            FAILED_PRECONDITION, 400
            ABORTED, 409
            OUT_OF_RANGE, 400
            UNIMPLEMENTED, 501
            INTERNAL, 500
            UNAVAILABLE, 503
            DATA_LOSS, 500
            UNAUTHENTICATED, 401
            """)
    void mapsEachCode(Code code, int http) {
        assertEquals(http, HttpStatusMapping.httpStatus(code));
    }

    @Test
    void theTableAboveCoversEveryCode() {
        Set<Code> all = EnumSet.allOf(Code.class);
        assertEquals(17, all.size(), "google.rpc.Code has 17 codes; update the table when it grows");
        for (Code c : all) {
            assertEquals(c.name(), com.google.rpc.Code.forNumber(c.value()).name(),
                    "io.grpc.Status.Code and google.rpc.Code agree on " + c);
        }
    }
}
