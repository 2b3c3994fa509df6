package dev.tandem.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.api.user.v1.GetUserRequest;
import dev.tandem.api.user.v1.User;
import dev.tandem.api.user.v1.UserServiceGrpc;
import static dev.tandem.RestAssertions.badRequest;

import dev.tandem.TestChannels;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code user.v1.UserService} over REST, transcoded from the google.api.http rules of
 * user/v1/user.proto, against the real server and PostgreSQL with the demo data; also the old
 * gateway's {@code /api/users} routes and the error cases as google.rpc.Status JSON. Also run
 * against the packaged application by {@link UserRestIT}.
 */
@QuarkusTest
class UserRestTest {

    UserServiceGrpc.UserServiceBlockingStub users;

    @BeforeEach
    void stub() {
        users = UserServiceGrpc.newBlockingStub(TestChannels.app());
    }

    @Test
    void oldGatewayRouteAnswersTheJspbObjectOfGetUserResponse() {
        given().get("/api/users/1").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("user.id", equalTo(1))
                .body("user.firstName", equalTo("Petar"))
                .body("user.lastName", equalTo("Petrovic"))
                .body("user.email", equalTo("petar.petrovic@gmail.com"))
                .body("user.ordersList.id", contains(1, 2, 3))
                .body("user.ordersList.item.name", contains("pencil", "book", "magic stick"))
                .body("user.ordersList.amount", contains(10, 25, 12))
                .body("user.ordersList[0].orderDate.seconds", equalTo(1682899200))
                .body("user.ordersList[0].orderDate.nanos", equalTo(0))
                .body("user.ordersList[0].userId", equalTo(1));
    }

    @Test
    void oldGatewayListAnswersUsersList() {
        given().get("/api/users").then()
                .statusCode(200)
                .body("usersList.size()", greaterThanOrEqualTo(3))
                .body("usersList[0].firstName", equalTo("Petar"))
                .body("usersList[1].ordersList[0].item.name", equalTo("book"));
    }

    @Test
    void oldGatewayUnknownUserIs404NotFound() {
        given().get("/api/users/999999").then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", equalTo("Not found"));
    }

    @Test
    void v1RoutesAnswerTheWholeResponseMessage() {
        given().get("/v1/users/1").then()
                .statusCode(200)
                .body("user.firstName", equalTo("Petar"))
                .body("user.orders", hasSize(3));
        given().get("/v1/users:all").then()
                .statusCode(200)
                .body("users.firstName", hasItem("Jovica"));
    }

    @Test
    void invalidIdIs400WithBadRequestNamingTheField() {
        for (String id : List.of("0", "-5")) {
            badRequest(given().get("/v1/users/" + id).then(), "id");
        }
        badRequest(given().get("/v1/users/abc").then(), "id");
        badRequest(given().get("/v1/users/99999999999").then(), "id");
    }

    @Test
    void createOverRestThenReadOverGrpc() {
        String email = unique() + "@example.com";
        ValidatableResponse created = given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"Ana\",\"lastName\":\"Anic\",\"email\":\"" + email + "\"}")
                .post("/v1/users").then()
                .statusCode(201)
                .body("id", greaterThan(3))
                .body("email", equalTo(email))
                .body("orders", hasSize(0));
        int id = created.extract().path("id");
        created.header("Location", equalTo("/v1/users/" + id));
        given().get(created.extract().header("Location")).then().statusCode(200).body("user.email", equalTo(email));
        User u = users.getUserById(GetUserRequest.newBuilder().setId(id).build()).getUser();
        assertEquals("Ana", u.getFirstName());
        assertEquals(email, u.getEmail());
    }

    @Test
    void createAcceptsProtoFieldNamesToo() {
        String email = unique() + "@example.com";
        given().contentType(ContentType.JSON)
                .body("{\"first_name\":\"Ana\",\"last_name\":\"Anic\",\"email\":\"" + email + "\"}")
                .post("/v1/users").then()
                .statusCode(201)
                .body("firstName", equalTo("Ana"));
    }

    @Test
    void duplicateEmailIs409AlreadyExists() {
        given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"P\",\"lastName\":\"P\",\"email\":\"PETAR.petrovic@gmail.com\"}")
                .post("/v1/users").then()
                .statusCode(409)
                .body("code", equalTo(6));
    }

    @Test
    void invalidCreateIs400NamingEveryBadFieldAndWritesNothing() {
        int before = userCount();
        ValidatableResponse r = given().contentType(ContentType.JSON)
                .body("{\"firstName\":\" \",\"lastName\":\"\",\"email\":\"not-an-email\"}")
                .post("/v1/users").then();
        badRequest(r, "first_name");
        r.body("details[0].fieldViolations.field", hasItem("last_name"))
                .body("details[0].fieldViolations.field", hasItem("email"));
        assertEquals(before, userCount());
    }

    @Test
    void malformedJsonIs400Status() {
        given().contentType(ContentType.JSON).body("{\"firstName\":").post("/v1/users").then()
                .statusCode(400)
                .body("code", equalTo(3));
    }

    @Test
    void patchWithUpdateMaskChangesOnlyTheMaskedFields() {
        int id = create("Old", "Name");
        given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"New\",\"lastName\":\"Ignored\"}")
                .patch("/v1/users/" + id + "?updateMask=firstName").then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("firstName", equalTo("New"))
                .body("lastName", equalTo("Name"));
        given().contentType(ContentType.JSON)
                .body("{\"lastName\":\"Both\",\"firstName\":\"Set\",\"email\":\"" + unique() + "@example.com\"}")
                .patch("/v1/users/" + id).then()
                .statusCode(200)
                .body("firstName", equalTo("Set"))
                .body("lastName", equalTo("Both"));
    }

    @Test
    void patchWithoutMaskChangesOnlyThePopulatedFields() {
        int id = create("Keep", "This");
        given().contentType(ContentType.JSON).body("{\"lastName\":\"Changed\"}")
                .patch("/v1/users/" + id).then()
                .statusCode(200)
                .body("firstName", equalTo("Keep"))
                .body("lastName", equalTo("Changed"));
    }

    @Test
    void patchOfAnUnknownUserIs404AndABadMaskIs400() {
        given().contentType(ContentType.JSON).body("{\"firstName\":\"X\"}")
                .patch("/v1/users/999999?update_mask=first_name").then()
                .statusCode(404);
        int id = create("Mask", "Test");
        badRequest(given().contentType(ContentType.JSON).body("{\"firstName\":\"X\"}")
                .patch("/v1/users/" + id + "?updateMask=orders").then(), "update_mask");
    }

    @Test
    void deleteThenGetIs404() {
        int id = create("Del", "Ete");
        given().delete("/v1/users/" + id).then().statusCode(200).body(equalTo("{}"));
        given().get("/v1/users/" + id).then().statusCode(404).body("code", equalTo(5));
        given().delete("/v1/users/" + id).then().statusCode(404);
    }

    @Test
    void deletingAUserWithOrdersNeedsForce() {
        int id = create("Has", "Orders");
        given().contentType(ContentType.JSON).body("{\"itemId\":1,\"amount\":2}")
                .post("/v1/users/" + id + "/orders").then().statusCode(201);
        given().delete("/v1/users/" + id).then()
                .statusCode(400)
                .body("code", equalTo(9));
        given().get("/v1/users/" + id).then().statusCode(200).body("user.orders", hasSize(1));
        given().delete("/v1/users/" + id + "?force=true").then().statusCode(200);
        given().get("/v1/users/" + id).then().statusCode(404);
    }

    @Test
    void listPagesThroughEveryUserOnce() {
        Set<Integer> seen = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ValidatableResponse r = given().queryParam("pageSize", 2).queryParam("pageToken", token)
                    .get("/v1/users").then().statusCode(200);
            List<Integer> ids = r.extract().path("users.id");
            assertTrue(ids.size() <= 2);
            for (Integer id : ids) {
                assertTrue(seen.add(id), "user " + id + " listed twice");
                order.add(id);
            }
            token = r.extract().path("nextPageToken");
            pages++;
        } while (!token.isEmpty() && pages < 10_000);
        assertTrue(seen.containsAll(Set.of(1, 2, 3)));
        List<Integer> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "pages are in id order");
        assertFalse(pages >= 10_000, "paging did not end");
    }

    @Test
    void listRejectsBadPageSizeAndToken() {
        badRequest(given().get("/v1/users?page_size=-1").then(), "page_size");
        badRequest(given().get("/v1/users?pageSize=1001").then(), "page_size");
        badRequest(given().get("/v1/users?pageToken=bm90LWEtdG9rZW4").then(), "page_token");
        badRequest(given().get("/v1/users?pageSize=abc").then(), "pageSize");
    }

    private static int create(String first, String last) {
        return given().contentType(ContentType.JSON)
                .body("{\"firstName\":\"" + first + "\",\"lastName\":\"" + last + "\",\"email\":\""
                        + unique() + "@example.com\"}")
                .post("/v1/users").then().statusCode(201).extract().path("id");
    }

    private static int userCount() {
        return given().get("/api/users").then().statusCode(200).extract().path("usersList.size()");
    }

    private static String unique() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }
}
