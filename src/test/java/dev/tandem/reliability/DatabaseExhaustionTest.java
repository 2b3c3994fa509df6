package dev.tandem.reliability;

import static dev.tandem.GrpcAssertions.assertStatus;
import static dev.tandem.GrpcAssertions.detail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.rpc.RetryInfo;
import dev.tandem.TestChannels;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.error.ApiErrors;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "The database cannot serve this now" is {@code UNAVAILABLE} / 503 with a {@code
 * google.rpc.RetryInfo}, never {@code INTERNAL}, for real exhaustion of PostgreSQL connections: the
 * server refusing a new connection with SQLState {@code 53300} (too many connections; here for the
 * application's role, see {@link LimitedRole}) and the pool's own acquisition timeout with every
 * connection in use. Service resumes, without a restart, once connections are available again.
 */
@QuarkusTest
@TestProfile(LimitedRole.class)
class DatabaseExhaustionTest {

    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

    @Inject
    AgroalDataSource pool;

    private final List<Connection> held = new ArrayList<>();

    @AfterEach
    void restore() throws SQLException {
        LimitedRole.asPostgres("alter role " + LimitedRole.ROLE + " connection limit -1");
        for (Connection c : held) {
            c.close();
        }
        held.clear();
    }

    @Test
    void tooManyConnectionsIsUnavailableWithRetryInfo() {
        given().get("/v1/users/1").then().statusCode(200);
        // PostgreSQL now refuses every new connection of the role (53300); the pool drops the ones it has
        LimitedRole.asPostgres("alter role " + LimitedRole.ROLE + " connection limit 0");
        pool.flush(AgroalDataSource.FlushMode.ALL);

        assertUnavailable();

        LimitedRole.asPostgres("alter role " + LimitedRole.ROLE + " connection limit -1");
        given().get("/v1/users/1").then().statusCode(200).body("user.id", equalTo(1));
    }

    @Test
    void anExhaustedPoolIsUnavailableWithRetryInfo() throws SQLException {
        given().get("/v1/users/1").then().statusCode(200);
        for (int i = 0; i < LimitedRole.POOL_SIZE; i++) {
            held.add(pool.getConnection());
        }

        assertUnavailable();

        for (Connection c : held) {
            c.close();
        }
        held.clear();
        given().get("/v1/users/1").then().statusCode(200).body("user.id", equalTo(1));
    }

    private static void assertUnavailable() {
        given().get("/v1/users/1").then()
                .statusCode(503)
                .contentType("application/json")
                .body("code", equalTo(Status.Code.UNAVAILABLE.value()))
                .body("details.'@type'", hasItem(RETRY_INFO))
                .body("details.find { it.'@type' == '" + RETRY_INFO + "' }.retryDelay", equalTo("1s"));
        com.google.rpc.Status status = assertStatus(Status.Code.UNAVAILABLE, () -> UserServiceGrpc
                .newBlockingStub(TestChannels.app()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .getUserById(GetUserRequest.newBuilder().setId(1).build()));
        assertEquals(ApiErrors.DATABASE_RETRY_DELAY, detail(status, RetryInfo.class).getRetryDelay());
    }
}
