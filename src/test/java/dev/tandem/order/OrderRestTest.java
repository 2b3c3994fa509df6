package dev.tandem.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.RestAssertions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code orders.v1.OrderService} and {@code orders.v1.ItemService} over REST against the real
 * server and PostgreSQL with the demo data. Also run against the packaged application by {@link
 * OrderRestIT}.
 */
@QuarkusTest
class OrderRestTest {

    @Test
    void ordersOfAUserWithTheirItems() {
        given().get("/v1/users/1/orders").then()
                .statusCode(200)
                .body("orders.id", hasItems(1, 2, 3))
                .body("orders.item.name", hasItems("pencil", "book", "magic stick"))
                .body("orders.find { it.id == 2 }.orderDate", equalTo("2023-05-02T00:00:00Z"));
    }

    @Test
    void invalidUserIdIs400() {
        RestAssertions.badRequest(given().get("/v1/users/0/orders").then(), "user_id");
    }

    @Test
    void createThenGetOrder() {
        io.restassured.response.ValidatableResponse created = given().contentType(ContentType.JSON)
                .body("{\"itemId\":4,\"amount\":7}")
                .post("/v1/users/2/orders").then()
                .statusCode(201)
                .body("id", greaterThan(4))
                .body("userId", equalTo(2))
                .body("item.name", equalTo("ball"))
                .body("amount", equalTo(7))
                .body("orderDate", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        int id = created.extract().path("id");
        created.header("Location", equalTo("/v1/orders/" + id));
        given().get("/v1/orders/" + id).then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("item.id", equalTo(4));
        given().get("/v1/users/2/orders").then().body("orders.id", hasItem(id));
    }

    @Test
    void createRejectsBadInputAndUnknownReferences() {
        RestAssertions.badRequest(given().contentType(ContentType.JSON).body("{\"itemId\":1,\"amount\":0}")
                .post("/v1/users/2/orders").then(), "amount");
        given().contentType(ContentType.JSON).body("{\"itemId\":999999,\"amount\":1}")
                .post("/v1/users/2/orders").then().statusCode(404).body("code", equalTo(5));
        given().contentType(ContentType.JSON).body("{\"itemId\":1,\"amount\":1}")
                .post("/v1/users/999999/orders").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"itemId\":1,\"amount\":1,\"userId\":5}")
                .post("/v1/users/2/orders").then()
                .statusCode(201)
                .body("userId", equalTo(2)); // the path binding wins over the body, per http.proto
    }

    @Test
    void unknownOrderIs404() {
        given().get("/v1/orders/999999").then().statusCode(404).body("code", equalTo(5));
    }

    @Test
    void items() {
        given().get("/v1/items").then()
                .statusCode(200)
                .body("items.name", hasItems("pencil", "book", "magic stick", "ball"));
        given().get("/v1/items/3").then().statusCode(200).body("name", equalTo("magic stick"));
        given().get("/v1/items/999999").then().statusCode(404);
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> kite =
                given().contentType(ContentType.JSON).body("{\"name\":\"kite\"}")
                .post("/v1/items").then().statusCode(201).body("name", equalTo("kite")).extract();
        int id = kite.path("id");
        assertEquals("/v1/items/" + id, kite.header("Location"));
        given().get("/v1/items/" + id).then().statusCode(200).body("name", equalTo("kite"));
        RestAssertions.badRequest(given().contentType(ContentType.JSON).body("{\"name\":\"  \"}")
                .post("/v1/items").then(), "name");
        List.of(0, -1).forEach(bad -> RestAssertions.badRequest(given().get("/v1/items/" + bad).then(), "id"));
    }
}
