package dev.tandem.user;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestDb;
import dev.tandem.api.user.v1.ListUsersRequest;
import dev.tandem.api.user.v1.ListUsersResponse;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import dev.tandem.aip.PageToken;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ListUsers} (AIP-158) over gRPC: keyset pages, page_size and page_token rules. */
@QuarkusTest
class ListUsersTest {

    @GrpcClient("tandem")
    UserServiceGrpc.UserServiceBlockingStub users;

    @Inject
    TestDb db;

    @Test
    void pagesThroughAllUsersTwoAtATime() {
        long total = db.count("users");
        List<User> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        ListUsersResponse page;
        do {
            page = users.listUsers(ListUsersRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            token = page.getNextPageToken();
            pages++;
            assertTrue(page.getUsersCount() <= 2);
            assertTrue(token.isEmpty() || page.getUsersCount() == 2, "only the last page may be short");
            seen.addAll(page.getUsersList());
        } while (!token.isEmpty());

        assertEquals(total, seen.size());
        assertEquals((total + 1) / 2, pages);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1).getId() < seen.get(i).getId(), "by id, no duplicates");
        }
        assertEquals(List.of(1, 2, 3), seen.subList(0, 3).stream().map(User::getId).toList());
        assertTrue(seen.get(0).getOrdersCount() >= 3, "users carry their orders");
        assertEquals("book", seen.get(1).getOrders(0).getItem().getName());
    }

    @Test
    void pageSizeZeroMeansFiftyAndTheLastPageHasNoToken() {
        ListUsersResponse page = users.listUsers(ListUsersRequest.getDefaultInstance());
        assertEquals(Math.min(50, db.count("users")), page.getUsersCount());
        assertEquals(db.count("users") > 50, !page.getNextPageToken().isEmpty());

        ListUsersResponse all = users.listUsers(ListUsersRequest.newBuilder().setPageSize(1000).build());
        assertEquals(db.count("users"), all.getUsersCount());
        assertTrue(all.getNextPageToken().isEmpty());
    }

    @Test
    void tokenOfTheLastUserGivesAnEmptyLastPage() {
        long maxId = db.single("select max(id) from users");
        ListUsersResponse page = users.listUsers(
                ListUsersRequest.newBuilder().setPageToken(PageToken.encode((int) maxId)).build());
        assertEquals(0, page.getUsersCount());
        assertTrue(page.getNextPageToken().isEmpty());
    }

    @Test
    void pageSizeOutOfRangeIsInvalid() {
        assertInvalid(() -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(-1).build()), "page_size");
        assertInvalid(() -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(1001).build()), "page_size");
    }

    @Test
    void malformedOrForgedTokenIsInvalid() {
        String good = PageToken.encode(2);
        char last = good.charAt(good.length() - 1);
        String tampered = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String bad : List.of("garbage!", "abc", "MQ", tampered, good + "AAAA")) {
            assertInvalid(() -> users.listUsers(ListUsersRequest.newBuilder().setPageToken(bad).build()), "page_token");
        }
    }

    @Test
    void declaredRulesAreCheckedBeforeThePageToken() {
        // page_size is a rule of the proto, checked before the service runs; the token is checked by
        // the service, so only once the declared rules hold
        assertInvalid(() -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(5000).setPageToken("x").build()),
                "page_size");
        assertInvalid(() -> users.listUsers(ListUsersRequest.newBuilder().setPageSize(5).setPageToken("x").build()),
                "page_token");
    }
}
