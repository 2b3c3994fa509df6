package dev.tandem.hostile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Request bodies are RFC 8259 JSON and nothing more, with no duplicate names (I-JSON, RFC 7493
 * section 2.3): what protobuf's lenient JsonFormat would take (single quotes, unquoted names,
 * comments, bare words, {@code NaN}, {@code Infinity}, a repeated name whose last value wins) is 400
 * {@code INVALID_ARGUMENT} over real HTTP and creates nothing; for every body rule ({@code *}, a
 * message field, a repeated field).
 */
@QuarkusTest
class StrictJsonTest {

    @Inject
    TestDb db;

    /** Each is accepted by JsonFormat alone and would create a user. */
    static List<String> lenientCreates(String email) {
        String e = "\"email\":\"" + email + "\"";
        return List.of(
                "{'firstName':'Single','lastName':'Quotes'," + e + "}",
                "{firstName:\"Unquoted\",lastName:\"Names\"," + e + "}",
                "{\"firstName\":\"Com\",/* comment */\"lastName\":\"Ment\"," + e + "}",
                "{\"firstName\":\"Line\",\"lastName\":\"Comment\"," + e + "} // trailing",
                "{\"firstName\":Bare,\"lastName\":\"Word\"," + e + "}",
                "{\"firstName\":NaN,\"lastName\":\"Nan\"," + e + "}",
                "{\"firstName\":Infinity,\"lastName\":\"Inf\"," + e + "}",
                "{\"firstName\":\"Trailing\",\"lastName\":\"Comma\"," + e + ",}",
                "{\"firstName\":\"Dup\",\"firstName\":\"Key\",\"lastName\":\"Last\"," + e + "}",
                "{\"firstName\":\"Dup\",\"lastName\":\"One\",\"lastName\":\"Two\"," + e + "}",
                "{\"firstName\":\"Esc\",\"lastName\":\"Ape\"," + e + ",\"email\":\"second-" + email + "\"}",
                "{\"firstName\":\"Two\",\"lastName\":\"Values\"," + e + "} {\"firstName\":\"x\"}");
    }

    @TestFactory
    Stream<DynamicTest> lenientOrDuplicateJsonIs400AndCreatesNothing() {
        return lenientCreates(TestDb.uniqueEmail()).stream().map(body -> DynamicTest.dynamicTest(body, () -> {
            long users = db.count("users");
            given().contentType(ContentType.JSON).body(body)
                    .when().post("/v1/users")
                    .then().statusCode(400)
                    .contentType(ContentType.JSON)
                    .body("code", equalTo(3))
                    .body("message", containsString("invalid JSON body"));
            assertEquals(users, db.count("users"), "nothing is created");
        }));
    }

    @Test
    void duplicateNamesInANestedObjectAre400() {
        given().contentType(ContentType.JSON)
                .body("{\"stringValue\":\"a\",\"nested\":{\"stringValue\":\"b\",\"stringValue\":\"c\"}}")
                .when().post("/v1/kitchens")
                .then().statusCode(400).body("code", equalTo(3)).body("message", containsString("Duplicate"));
    }

    @Test
    void aMessageFieldBodyIsReadStrictly() {
        given().contentType(ContentType.JSON).body("{'stringValue':'x'}")
                .when().post("/v1/kitchens/k:publish")
                .then().statusCode(400).body("code", equalTo(3));
        given().contentType(ContentType.JSON).body("{\"a\":1,\"a\":2}")
                .when().patch("/v1/kitchens/1/struct")
                .then().statusCode(400).body("code", equalTo(3));
    }

    @Test
    void aRepeatedFieldBodyIsOneValueAndCannotSetOtherFields() {
        given().contentType(ContentType.JSON).body("[\"a\"],\"int64Value\":\"5\"")
                .when().put("/v1/kitchens/1/strings")
                .then().statusCode(400).body("code", equalTo(3));
        given().contentType(ContentType.JSON).body("['a']")
                .when().put("/v1/kitchens/1/strings")
                .then().statusCode(400).body("code", equalTo(3));
        given().contentType(ContentType.JSON).body("[\"a\",\"b\"]")
                .when().put("/v1/kitchens/1/strings")
                .then().statusCode(200).body("repeatedString", equalTo(List.of("a", "b")));
    }

    @Test
    void strictJsonIsStillServed() {
        String email = TestDb.uniqueEmail();
        given().contentType(ContentType.JSON)
                .body(" {\"firstName\" : \"Str\\u0069ct\", \"lastName\":\"Json\",\n\"email\":\"" + email + "\"}\n")
                .when().post("/v1/users")
                .then().statusCode(201).body("firstName", equalTo("Strict"));
    }
}
