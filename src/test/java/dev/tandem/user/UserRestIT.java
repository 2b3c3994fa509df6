package dev.tandem.user;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UserRestTest} against the packaged application (the jar, or the native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class UserRestIT extends UserRestTest {
}
