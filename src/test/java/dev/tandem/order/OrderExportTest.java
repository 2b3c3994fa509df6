package dev.tandem.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.RestAssertions;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.ExportOrdersRequest;
import dev.tandem.api.orders.v1.Order;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import dev.tandem.rpc.PagedStream;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code orders.v1.OrderExportService/ExportOrders}: the same stream over gRPC, over REST as NDJSON
 * and as Server-Sent Events, and back-pressure: a client that stops reading stops the server from
 * reading further pages from the database.
 */
@QuarkusTest
class OrderExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("tandem")
    OrderExportServiceGrpc.OrderExportServiceBlockingStub export;

    @Inject
    TestDb db;

    @Inject
    SessionFactory sessionFactory;

    @TestHTTPResource("/")
    URL server;

    private int userId;

    @BeforeEach
    void createUserWithThreeOrders() {
        userId = given().contentType("application/json")
                .body("{\"firstName\":\"Ex\",\"lastName\":\"Port\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .post("/v1/users").then().statusCode(201).extract().path("id");
        for (int item = 1; item <= 3; item++) {
            given().contentType("application/json").body("{\"itemId\":" + item + ",\"amount\":" + item + "}")
                    .post("/v1/users/" + userId + "/orders").then().statusCode(201);
        }
    }

    @AfterEach
    void deleteUserAndOrders() {
        db.update("delete from orders where user_id = " + userId);
        db.update("delete from users where id = " + userId);
    }

    @Test
    void grpcStreamsTheUsersOrdersById() {
        List<Order> orders = new ArrayList<>();
        export.exportOrders(ExportOrdersRequest.newBuilder().setUserId(userId).build()).forEachRemaining(orders::add);
        assertEquals(List.of(1, 2, 3), orders.stream().map(o -> o.getItem().getId()).toList());
        assertTrue(orders.stream().allMatch(o -> o.getUserId() == userId));
    }

    @Test
    void grpcExportOfEveryUserIncludesTheDemoOrders() {
        Iterator<Order> all = export.exportOrders(ExportOrdersRequest.getDefaultInstance());
        assertEquals("pencil", all.next().getItem().getName());
        assertEquals("book", all.next().getItem().getName());
        all.forEachRemaining(o -> { });
    }

    @Test
    void restAnswersNewlineDelimitedJson() throws Exception {
        String body = given().get("/v1/users/" + userId + "/orders:export").then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract().asString();
        String[] lines = body.split("\n");
        assertEquals(3, lines.length, body);
        for (int i = 0; i < 3; i++) {
            JsonNode order = JSON.readTree(lines[i]).get("result");
            assertEquals(userId, order.get("userId").asInt());
            assertEquals(i + 1, order.get("item").get("id").asInt());
        }
    }

    @Test
    void restAnswersServerSentEventsWhenAsked() throws Exception {
        String body = given().header("Accept", "text/event-stream").get("/v1/users/" + userId + "/orders:export").then()
                .statusCode(200)
                .contentType("text/event-stream")
                .extract().asString();
        String[] events = body.split("\n\n");
        assertEquals(3, events.length, body);
        assertTrue(events[0].startsWith("data: "), events[0]);
        assertEquals(1, JSON.readTree(events[0].substring("data: ".length())).get("item").get("id").asInt());
    }

    @Test
    void invalidUserIsAnOrdinary400BeforeAnyItem() {
        RestAssertions.badRequest(given().get("/v1/users/-1/orders:export").then(), "user_id");
    }

    @Test
    void unknownUserIsAnEmptyStream() {
        given().get("/v1/users/999999/orders:export").then().statusCode(200).body(equalTo(""));
    }

    @Test
    void aClientThatStopsReadingStopsTheDatabaseReads() throws Exception {
        int total = 100_000;
        db.update("insert into orders (user_id, item_id, order_date, amount) select " + userId
                + ", 1 + g % 4, now(), 1 + g % 9 from generate_series(1, " + total + ") g");
        int pagesForAll = (total + 3) / OrderExportGrpcService.PAGE_SIZE;
        var statistics = sessionFactory.getStatistics();
        long queriesBefore = statistics.getQueryExecutionCount();
        int waitingBefore = PagedStream.waitingForReader();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<java.io.InputStream> response = client.send(
                HttpRequest.newBuilder(server.toURI().resolve("/v1/users/" + userId + "/orders:export")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 100; i++) {
                assertTrue(in.readLine().startsWith("{\"result\""));
            }
            // a slow client: the server fills the buffers between us, then must wait; the stream says so
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (PagedStream.waitingForReader() <= waitingBefore) {
                assertTrue(System.nanoTime() < end, "timed out: the export never waited for its reader");
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polling interval for the event
            }
            long pagesWhilePaused = statistics.getQueryExecutionCount() - queriesBefore;
            System.out.printf("export back-pressure: %d of %d pages read while the client paused%n",
                    pagesWhilePaused, pagesForAll);
            assertTrue(pagesWhilePaused < pagesForAll / 2,
                    "the server read " + pagesWhilePaused + " of " + pagesForAll + " pages for a client that stopped reading");

            long results = 100;
            String line;
            while ((line = in.readLine()) != null) {
                assertTrue(line.startsWith("{\"result\""), line);
                results++;
            }
            assertEquals(total + 3, results);
            long pagesAtEnd = statistics.getQueryExecutionCount() - queriesBefore;
            assertTrue(pagesAtEnd >= pagesForAll, "all " + pagesForAll + " pages read at the end, not " + pagesAtEnd);
            assertEquals(waitingBefore, PagedStream.waitingForReader(), "the finished export waits no more");
        }
    }
}
