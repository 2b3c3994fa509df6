package dev.tandem.observability;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link MetricsTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTest {
}
