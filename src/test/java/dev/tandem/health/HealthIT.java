package dev.tandem.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link HealthTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
