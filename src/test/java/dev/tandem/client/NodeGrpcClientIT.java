package dev.tandem.client;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link NodeGrpcClientTest}, the Node.js gRPC client, against the packaged application (the jar, or
 * the native executable with {@code -Dnative}).
 */
@QuarkusIntegrationTest
class NodeGrpcClientIT extends NodeGrpcClientTest {
}
