package dev.tandem.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.tandem.TestChannels;
import dev.tandem.rpc.ErrorMapping;
import dev.tandem.testing.api.FailingGrpc;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request id is in the logging MDC of what a call logs, also on the worker thread that {@code
 * Offload} runs the blocking part on, and is gone from the thread afterwards. Uses the test-only
 * {@code Failing} service, whose failure {@link ErrorMapping} logs at ERROR, so it
 * does not run against the packaged application.
 */
@QuarkusTest
class RequestIdLoggingTest {

    private final List<String[]> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(ErrorMapping.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String id = record instanceof ExtLogRecord ext ? ext.getMdc(RequestIdInterceptor.MDC_KEY) : null;
            records.add(new String[] {record.getMessage(), id, Thread.currentThread().getName()});
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
    }

    @Test
    void requestIdIsInTheMdcOfLogsWrittenOnWorkerThreads() {
        Metadata sent = new Metadata();
        sent.put(RequestIdInterceptor.KEY, "mdc-check.42");
        FailingGrpc.FailingBlockingStub failing = FailingGrpc.newBlockingStub(TestChannels.app())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent));
        assertThrows(StatusRuntimeException.class, () -> failing.fail(Empty.getDefaultInstance()));

        String[] logged = records.stream().filter(r -> r[0].contains("Unexpected failure")).findFirst().orElse(null);
        assertNotNull(logged, "the provider logged the failure");
        assertEquals("mdc-check.42", logged[1], "request id in the MDC of the ERROR line");
        assertTrue(logged[2].startsWith("tandem-rpc-"), () -> "logged on a worker thread: " + logged[2]);
    }

    @Test
    void withMdcRestoresWhatTheThreadHadBefore() {
        MDC.put(RequestIdInterceptor.MDC_KEY, "outer");
        try {
            String inside = RequestIdInterceptor.withMdc("inner", () -> (String) MDC.get(RequestIdInterceptor.MDC_KEY));
            assertEquals("inner", inside);
            assertEquals("outer", MDC.get(RequestIdInterceptor.MDC_KEY));
        } finally {
            MDC.remove(RequestIdInterceptor.MDC_KEY);
        }
        RequestIdInterceptor.withMdc("only", () -> { });
        assertFalse(MDC.getMap().containsKey(RequestIdInterceptor.MDC_KEY));
    }
}
