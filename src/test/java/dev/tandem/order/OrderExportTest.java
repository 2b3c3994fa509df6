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
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
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
        int added = 100_000;
        ExportBackPressure.check(db, sessionFactory, server.toURI().resolve("/v1/users/" + userId + "/orders:export"),
                userId, 3, added, 100, added + 3,
                (i, line) -> assertTrue(line.startsWith("{\"result\""), line));
    }
}
