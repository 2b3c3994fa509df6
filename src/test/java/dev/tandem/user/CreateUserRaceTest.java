package dev.tandem.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.TestDb;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Concurrent CreateUser calls with one e-mail address (in different cases): exactly one wins, every
 * other one is ALREADY_EXISTS, whether the pre-check or the database's unique index caught it.
 */
@QuarkusTest
class CreateUserRaceTest {

    private static final int CALLERS = 8;

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @Inject
    TestDb db;

    @Test
    void oneWinsTheOthersAreAlreadyExists() throws Exception {
        String email = TestDb.uniqueEmail();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Status.Code>> outcomes = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                String variant = i % 2 == 0 ? email : email.toUpperCase();
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        users.createUser(CreateUserRequest.newBuilder()
                                .setFirstName("Race").setLastName("Test").setEmail(variant).build());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            start.countDown();
            List<Status.Code> codes = new ArrayList<>();
            for (Future<Status.Code> outcome : outcomes) {
                codes.add(outcome.get());
            }
            Map<Status.Code, Long> counts = codes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(Map.of(Status.Code.OK, 1L, Status.Code.ALREADY_EXISTS, (long) CALLERS - 1), counts);
            assertEquals(1, db.single("select count(*) from users where lower(email) = '" + email.toLowerCase() + "'"));
        } finally {
            pool.shutdownNow();
        }
    }
}
