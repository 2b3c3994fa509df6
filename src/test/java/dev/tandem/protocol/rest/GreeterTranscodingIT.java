package dev.tandem.protocol.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link GreeterTranscodingTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class GreeterTranscodingIT extends GreeterTranscodingTest {
}
