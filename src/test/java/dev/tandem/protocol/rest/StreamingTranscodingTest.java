package dev.tandem.protocol.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Server streaming through the REST facade, on the test-only conformance service's
 * StreamKitchens: NDJSON and SSE framing, and errors before and after the first message.
 */
@QuarkusTest
class StreamingTranscodingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ndjsonHasOneResultLinePerMessage() throws Exception {
        String[] lines = given().get("/v1/stream/120").then()
                .statusCode(200).contentType("application/x-ndjson").extract().asString().split("\n");
        assertEquals(120, lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(i + 1, JSON.readTree(lines[i]).get("result").get("int32Value").asInt());
        }
    }

    @Test
    void aMidStreamErrorEndsTheStreamWithAStatusItem() throws Exception {
        String[] lines = given().get("/v1/stream/75?failCode=10").then()
                .statusCode(200).extract().asString().split("\n");
        assertEquals(76, lines.length);
        assertEquals(75, JSON.readTree(lines[74]).get("result").get("int32Value").asInt());
        JsonNode error = JSON.readTree(lines[75]).get("error");
        assertEquals(10, error.get("code").asInt());
        assertEquals("failed after 75", error.get("message").asText());
        assertEquals("type.googleapis.com/google.rpc.BadRequest", error.get("details").get(0).get("@type").asText());
    }

    @Test
    void sseFramesMessagesAndTheErrorEvent() throws Exception {
        String body = given().header("Accept", "text/event-stream").get("/v1/stream/2?failCode=14").then()
                .statusCode(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                .extract().asString();
        String[] events = body.split("\n\n");
        assertEquals(3, events.length, body);
        assertEquals(2, JSON.readTree(events[1].substring("data: ".length())).get("int32Value").asInt());
        assertTrue(events[2].startsWith("event: error\ndata: "), events[2]);
        assertEquals(14, JSON.readTree(events[2].substring("event: error\ndata: ".length())).get("code").asInt());
    }

    @Test
    void anErrorBeforeTheFirstMessageIsAnOrdinaryErrorResponse() {
        given().get("/v1/stream/0?failCode=5").then()
                .statusCode(404)
                .contentType("application/json")
                .body("code", equalTo(5));
    }

    @Test
    void anEmptyStreamIs200WithNoLines() {
        given().get("/v1/stream/0").then().statusCode(200).body(equalTo(""));
    }
}
