package dev.tandem.order;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OrderRestTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class OrderRestIT extends OrderRestTest {
}
