package dev.tandem.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.HttpBody;
import dev.tandem.RestAssertions;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.ExportOrdersCsvRequest;
import dev.tandem.api.orders.v1.OrderExportServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code orders.v1.OrderExportService/ExportOrdersCsv}: a {@code google.api.HttpBody} stream, over
 * REST as the CSV bytes themselves ({@code text/csv}, chunked) and over gRPC as HttpBody messages, one
 * per page of the database; RFC 4180 quoting; back-pressure as for the NDJSON export.
 */
@QuarkusTest
class OrderExportCsvTest {

    private static final String HEADER = "id,user_id,item_id,item_name,order_date,amount";

    /** An item name that needs RFC 4180 quoting: a comma and double quotes. */
    private static final String AWKWARD = "Comma, \"quoted\" item";

    @GrpcClient("tandem")
    OrderExportServiceGrpc.OrderExportServiceBlockingStub export;

    @Inject
    TestDb db;

    @Inject
    SessionFactory sessionFactory;

    @TestHTTPResource("/")
    URL server;

    private int userId;
    private int awkwardItem;

    @BeforeEach
    void createUserWithThreeOrders() {
        userId = given().contentType("application/json")
                .body("{\"firstName\":\"Csv\",\"lastName\":\"Export\",\"email\":\"" + TestDb.uniqueEmail() + "\"}")
                .post("/v1/users").then().statusCode(201).extract().path("id");
        awkwardItem = given().contentType("application/json").body("{\"name\":\"Comma, \\\"quoted\\\" item\"}")
                .post("/v1/items").then().statusCode(201).extract().path("id");
        for (int item : new int[] {1, 2, awkwardItem}) {
            given().contentType("application/json").body("{\"itemId\":" + item + ",\"amount\":" + (item % 7 + 1) + "}")
                    .post("/v1/users/" + userId + "/orders").then().statusCode(201);
        }
    }

    @AfterEach
    void deleteUserOrdersAndItem() {
        db.update("delete from orders where user_id = " + userId);
        db.update("delete from users where id = " + userId);
        db.update("delete from item where id = " + awkwardItem);
    }

    @Test
    void restAnswersTheCsvItself() {
        Response r = given().get("/v1/users/" + userId + "/orders:exportCsv");
        r.then().statusCode(200).header("Content-Type", "text/csv; charset=utf-8");
        List<Csv.Record> records = Csv.parse(r.asString());
        assertEquals(4, records.size(), r.asString());
        assertEquals(List.of(HEADER.split(",")), records.get(0).fields());
        assertEquals(List.of(1, 2, awkwardItem), records.subList(1, 4).stream()
                .map(rec -> Integer.parseInt(rec.fields().get(2))).toList());
        List<String> awkward = records.get(3).fields();
        assertEquals(String.valueOf(userId), awkward.get(1));
        assertEquals(AWKWARD, awkward.get(3));
        assertTrue(awkward.get(4).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), awkward.get(4));
        assertEquals(String.valueOf(awkwardItem % 7 + 1), awkward.get(5));
        // RFC 4180: CRLF after every record, the awkward name quoted with its quotes doubled
        assertTrue(r.asString().startsWith(HEADER + "\r\n"), r.asString());
        assertTrue(r.asString().contains(",\"Comma, \"\"quoted\"\" item\","), r.asString());
        assertTrue(r.asString().endsWith("\r\n"));
    }

    @Test
    void restStreamsMoreRowsThanOnePageInOrder() {
        int extra = OrderExportGrpcService.PAGE_SIZE * 2 + 50;
        db.update("insert into orders (user_id, item_id, order_date, amount) select " + userId
                + ", 1 + g % 4, now(), 1 + g % 9 from generate_series(1, " + extra + ") g");
        Response r = given().get("/v1/users/" + userId + "/orders:exportCsv");
        r.then().statusCode(200).header("Transfer-Encoding", "chunked");
        List<Csv.Record> records = Csv.parse(r.asString());
        assertEquals(1 + 3 + extra, records.size());
        int last = 0;
        for (Csv.Record rec : records.subList(1, records.size())) {
            int id = Integer.parseInt(rec.fields().get(0));
            assertTrue(id > last, "by id: " + id + " after " + last);
            last = id;
        }
    }

    @Test
    void grpcStreamsOneHttpBodyPerPageWithTheSameBytes() {
        int extra = OrderExportGrpcService.PAGE_SIZE * 2 + 50;
        db.update("insert into orders (user_id, item_id, order_date, amount) select " + userId
                + ", 1 + g % 4, now(), 1 + g % 9 from generate_series(1, " + extra + ") g");
        List<HttpBody> messages = new ArrayList<>();
        export.exportOrdersCsv(ExportOrdersCsvRequest.newBuilder().setUserId(userId).build())
                .forEachRemaining(messages::add);
        assertEquals(3, messages.size(), "pages of " + OrderExportGrpcService.PAGE_SIZE + " orders, header in the first");
        StringBuilder all = new StringBuilder();
        for (HttpBody m : messages) {
            assertEquals("text/csv; charset=utf-8", m.getContentType());
            all.append(m.getData().toStringUtf8());
        }
        assertTrue(all.toString().startsWith(HEADER + "\r\n"));
        assertEquals(1 + 3 + extra, Csv.parse(all.toString()).size());
        String rest = given().get("/v1/users/" + userId + "/orders:exportCsv").asString();
        assertEquals(rest, all.toString(), "REST answers the bytes of the gRPC messages");
    }

    @Test
    void unknownUserIsTheHeaderAlone() {
        given().get("/v1/users/999999/orders:exportCsv").then().statusCode(200)
                .header("Content-Type", "text/csv; charset=utf-8");
        assertEquals(HEADER + "\r\n", given().get("/v1/users/999999/orders:exportCsv").asString());
    }

    @Test
    void invalidUserIsAnOrdinary400() {
        RestAssertions.badRequest(given().get("/v1/users/0/orders:exportCsv").then(), "user_id");
    }

    @Test
    void headAnswersTheHeadersWithoutTheCsv() {
        given().head("/v1/users/" + userId + "/orders:exportCsv").then().statusCode(200)
                .header("Content-Type", "text/csv; charset=utf-8");
    }

    @Test
    void gzipWhenTheClientAcceptsIt() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.toURI().resolve("/v1/users/" + userId + "/orders:exportCsv"))
                        .header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
        String csv = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertEquals(4, Csv.parse(csv).size(), csv);
    }

    @Test
    void aClientThatStopsReadingStopsTheDatabaseReads() throws Exception {
        int added = 200_000;
        ExportBackPressure.check(db, sessionFactory, server.toURI().resolve("/v1/users/" + userId + "/orders:exportCsv"),
                userId, 3, added, 1, 1 + added + 3, (i, line) -> {
                    if (i == 0) {
                        assertEquals(HEADER, line);
                    }
                });
    }
}
