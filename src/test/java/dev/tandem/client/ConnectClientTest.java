package dev.tandem.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the Connect-ES client test ({@code src/test/connect/client.test.mjs}, {@code node --test}, npm
 * {@code @connectrpc/connect-node} 2.x) against this test's server: every unary RPC and the export
 * stream, success and error cases, over gRPC-Web (HTTP/1.1 and HTTP/2) and the Connect protocol
 * (JSON, binary, and GET), with code generated from the project's protos ({@link ConnectEsProject}).
 * Fails unless node exits with 0; its output is printed and kept in {@code
 * target/connect-client/node-test.log}. Needs {@code node} 18+ and {@code npm}.
 */
@QuarkusTest
class ConnectClientTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);

    @TestHTTPResource("/")
    URL server;

    @Test
    void connectEsClientsGetTheContractedAnswersOnEveryTransport() throws Exception {
        ConnectEsProject.prepare();
        String base = "http://" + server.getHost() + ":" + server.getPort();
        ConnectEsProject.Result node = ConnectEsProject.run(List.of("node", "--test", "client.test.mjs"),
                Map.of("TANDEM_BASE_URL", base), NODE_TIMEOUT, ConnectEsProject.WORK.resolve("node-test.log"));
        System.out.println("node --test client.test.mjs (TANDEM_BASE_URL=" + base + "):\n" + node.output());
        assertEquals(0, node.exitCode(), () -> "the Connect-ES clients failed against " + base + ":\n" + node.output());
    }
}
