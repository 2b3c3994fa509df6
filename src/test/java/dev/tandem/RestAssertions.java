package dev.tandem;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Checks of REST failures: the HTTP status and the google.rpc.Status JSON body. */
public final class RestAssertions {

    private RestAssertions() {}

    /**
     * Asserts a 400 {@code INVALID_ARGUMENT} whose {@code google.rpc.BadRequest} detail names
     * {@code field} among its field violations.
     *
     * @param r the response
     * @param field the expected field path or parameter name, e.g. {@code page_size}
     */
    public static void badRequest(ValidatableResponse r, String field) {
        r.statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", equalTo(3))
                .body("details.find { it.'@type' == 'type.googleapis.com/google.rpc.BadRequest' }"
                        + ".fieldViolations.field", hasItem(field));
    }
}
