package dev.tandem.reflection;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ReflectionTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class ReflectionIT extends ReflectionTest {
}
