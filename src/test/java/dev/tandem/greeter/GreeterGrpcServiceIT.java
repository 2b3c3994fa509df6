package dev.tandem.greeter;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link GreeterGrpcServiceTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class GreeterGrpcServiceIT extends GreeterGrpcServiceTest {
}
