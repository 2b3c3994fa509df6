package dev.tandem.order;

import static dev.tandem.GrpcAssertions.assertInvalid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.HttpBody;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dev.tandem.TestDb;
import dev.tandem.api.orders.v1.ImportItemsRequest;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code orders.v1.ItemService/ImportItems}: a CSV file as a {@code google.api.HttpBody}, over REST
 * as the request body itself ({@code text/csv}, gzip too) and over gRPC; one transaction, every line
 * checked first, a malformed line named by its number and nothing written.
 */
@QuarkusTest
class ItemImportTest {

    /** RestAssured would add {@code charset=ISO-8859-1} to a text/csv it is given without one. */
    private static final RestAssuredConfig AS_IS = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @GrpcClient("tandem")
    ItemServiceGrpc.ItemServiceBlockingStub items;

    @Inject
    TestDb db;

    /** In every name this test creates, so that it can delete them. */
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteImportedItems() {
        db.update("delete from item where name like '%" + tag + "%'");
    }

    private static ValidatableResponse post(String contentType, byte[] body) {
        return given().config(AS_IS).contentType(contentType).body(body).post("/v1/items:import").then();
    }

    private long imported() {
        return db.single("select count(*) from item where name like '%" + tag + "%'");
    }

    @Test
    void restImportsEveryLineThenTheItemsAreListed() {
        String csv = "name\r\nkite " + tag + "\r\n\"Comma, \"\"quoted\"\" " + tag + "\"\r\n  yo-yo " + tag + "  \n";
        post("text/csv", csv.getBytes(StandardCharsets.UTF_8))
                .statusCode(200).contentType("application/json").body("createdCount", equalTo(3));
        given().get("/v1/items").then().statusCode(200).body("items.name", hasItems("kite " + tag,
                "Comma, \"quoted\" " + tag, "yo-yo " + tag));
        assertEquals(3, imported());
    }

    @Test
    void aCharsetParameterAndAByteOrderMarkAreFine() {
        post("text/csv; charset=UTF-8", ("\uFEFFname\nüñí " + tag + "\n").getBytes(StandardCharsets.UTF_8))
                .statusCode(200).body("createdCount", equalTo(1));
        given().get("/v1/items").then().body("items.name", hasItem("üñí " + tag));
    }

    @Test
    void aMalformedLineIs400NamingItsLineAndNothingIsWritten() {
        String csv = "name\nfine " + tag + "\n\"bad\"x " + tag + "\nalso fine " + tag + "\n";
        ValidatableResponse r = post("text/csv", csv.getBytes(StandardCharsets.UTF_8));
        r.statusCode(400).contentType("application/json").body("code", equalTo(3))
                .body("details.find { it.'@type' == 'type.googleapis.com/google.rpc.BadRequest' }.fieldViolations.field",
                        equalTo(List.of("line 3")));
        assertEquals(0, imported(), "one transaction: nothing written");
    }

    @Test
    void everyBadLineIsNamedAndNothingIsWritten() {
        String csv = "name\nfine " + tag + "\na,b " + tag + "\n   \n" + "x".repeat(256) + "\n\"bell\u0007 " + tag + "\"\n";
        post("text/csv", csv.getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .body("details.find { it.'@type' == 'type.googleapis.com/google.rpc.BadRequest' }.fieldViolations.field",
                        equalTo(List.of("line 3", "line 4", "line 5", "line 6")))
                .body("details.find { it.'@type' == 'type.googleapis.com/google.rpc.BadRequest' }.fieldViolations.description",
                        hasItem("name must not be blank"));
        assertEquals(0, imported());
    }

    @Test
    void aWrongHeaderIsLine1() {
        post("text/csv", ("title\nkite " + tag + "\n").getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .body("details[0].fieldViolations[0].field", equalTo("line 1"));
        post("text/csv", new byte[0]).statusCode(400).body("details[0].fieldViolations[0].field", equalTo("line 1"));
        assertEquals(0, imported());
    }

    @Test
    void anotherContentTypeIs415() {
        post("application/json", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)).statusCode(415)
                .body("code", equalTo(3)).body("message", equalTo("unsupported content type \"application/json\"; send text/csv"));
        post("text/plain", ("name\nkite " + tag).getBytes(StandardCharsets.UTF_8)).statusCode(415);
        given().body(("name\nkite " + tag).getBytes(StandardCharsets.UTF_8)).post("/v1/items:import").then().statusCode(415);
        assertEquals(0, imported());
    }

    @Test
    void anotherCharsetOrBytesThatAreNotUtf8Are400() {
        post("text/csv; charset=iso-8859-1", ("name\nkite " + tag).getBytes(StandardCharsets.ISO_8859_1)).statusCode(400)
                .body("details[0].fieldViolations[0].field", equalTo("http_body.content_type"));
        post("text/csv", ("name\nk\u00e9 " + tag).getBytes(StandardCharsets.ISO_8859_1)).statusCode(400)
                .body("details[0].fieldViolations[0].field", equalTo("http_body.data"));
        assertEquals(0, imported());
    }

    @Test
    void aGzipBodyIsInflatedFirst() throws Exception {
        StringBuilder csv = new StringBuilder("name\r\n");
        for (int i = 0; i < 500; i++) {
            csv.append("item ").append(i).append(' ').append(tag).append("\r\n");
        }
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        given().config(AS_IS).contentType("text/csv").header("Content-Encoding", "gzip").body(zipped.toByteArray())
                .post("/v1/items:import").then().statusCode(200).body("createdCount", equalTo(500));
        assertEquals(500, imported());
    }

    @Test
    void aBodyOverTheLimitIs413() {
        byte[] big = ("name\n" + ("x".repeat(99) + "\n").repeat(11_000)).getBytes(StandardCharsets.UTF_8);
        assertTrue(big.length > 1024 * 1024);
        post("text/csv", big).statusCode(413);
    }

    @Test
    void grpcTakesTheSameFileAsAnHttpBody() {
        String csv = "name\nkite " + tag + "\n\"Comma, \"\"quoted\"\" " + tag + "\"\n";
        assertEquals(2, items.importItems(request("text/csv", csv)).getCreatedCount());
        assertEquals(2, imported());

        BadRequest bad = assertInvalid(() -> items.importItems(request("text/csv", "name\nok " + tag + "\n\"open " + tag)),
                "line 3");
        assertTrue(bad.getFieldViolations(0).getDescription().contains("not closed"), bad.toString());
        assertInvalid(() -> items.importItems(request("application/json", "{}")), "http_body.content_type");
        assertEquals(2, imported(), "the refused imports wrote nothing");
    }

    private static ImportItemsRequest request(String contentType, String data) {
        return ImportItemsRequest.newBuilder().setHttpBody(HttpBody.newBuilder()
                .setContentType(contentType).setData(ByteString.copyFromUtf8(data))).build();
    }
}
