package dev.tandem.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.CreateOrderRequest;
import dev.tandem.api.orders.v1.OrderServiceGrpc;
import dev.tandem.api.user.v1.CreateUserRequest;
import dev.tandem.api.user.v1.GetAllUsersRequest;
import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/**
 * No N+1: reading users with their orders and items costs a fixed number of SQL statements,
 * counted with Hibernate {@link Statistics} ({@code %test.quarkus.hibernate-orm.statistics=true}).
 */
@QuarkusTest
class UserStatementCountTest {

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @GrpcClient("tandem")
    OrderServiceGrpc.OrderServiceBlockingStub orders;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void getUserByIdCostsTheSameFewStatementsWhateverTheOrderCount() {
        User oneOrder = users.createUser(CreateUserRequest.newBuilder()
                .setFirstName("One").setLastName("Order").setEmail(TestDb.uniqueEmail()).build());
        orders.createOrder(CreateOrderRequest.newBuilder().setUserId(oneOrder.getId()).setItemId(1).setAmount(1).build());

        long forPetar = statements(() -> assertEquals(3,
                users.getUserById(GetUserRequest.newBuilder().setId(1).build()).getUser().getOrdersList().stream()
                        .filter(o -> o.getId() <= 3).count()));
        long forOne = statements(() -> assertEquals(1,
                users.getUserById(GetUserRequest.newBuilder().setId(oneOrder.getId()).build()).getUser().getOrdersCount()));

        System.out.printf("GetUserById statements: user with 3 orders %d, with 1 order %d%n", forPetar, forOne);
        assertEquals(forPetar, forOne);
        assertTrue(forPetar <= 2, "statements: " + forPetar);
    }

    @Test
    void listingUsersCostsAFixedNumberOfStatements() {
        long all = statements(() -> users.getAllUsers(GetAllUsersRequest.getDefaultInstance()));
        long page = statements(() -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(3).build()));
        System.out.printf("GetAllUsers statements %d, ListUsers page statements %d%n", all, page);
        assertTrue(all <= 2, "GetAllUsers statements: " + all);
        assertTrue(page <= 2, "ListUsers statements: " + page);
    }

    /**
     * Reads run in auto-commit with no JTA transaction (so no {@code COMMIT} round trip), because the
     * offloading handler gives each call a request-scoped session; a write still runs in exactly one.
     */
    @Test
    void readsRunWithoutATransactionAndAWriteInOne() {
        Statistics statistics = sessionFactory.getStatistics();
        statistics.clear();
        users.getUserById(GetUserRequest.newBuilder().setId(1).build());
        users.listUsers(ListUsersRequest.newBuilder().setPageSize(2).build());
        users.getAllUsers(GetAllUsersRequest.getDefaultInstance());
        assertTrue(statistics.getPrepareStatementCount() >= 5, "the reads ran their statements");
        assertEquals(0, statistics.getTransactionCount(), "transactions of the reads");
        users.createUser(CreateUserRequest.newBuilder()
                .setFirstName("Tx").setLastName("Count").setEmail(TestDb.uniqueEmail()).build());
        assertEquals(1, statistics.getTransactionCount(), "transactions of one write");
    }

    private long statements(Runnable call) {
        Statistics statistics = sessionFactory.getStatistics();
        statistics.clear();
        call.run();
        return statistics.getPrepareStatementCount();
    }
}
