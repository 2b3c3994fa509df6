package dev.tandem.transcoding.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.tandem.transcoding.Route;
import dev.tandem.protocol.rest.TranscodingRoutes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document at /q/openapi: complete, exact, valid, and described from the protos. */
@QuarkusTest
class OpenApiDocumentTest {

    @Inject
    TranscodingRoutes routes;

    @TestHTTPResource("/")
    URL server;

    private JsonNode document() throws Exception {
        return OpenApiContract.of(server.toURI().resolve("/")).document();
    }

    @Test
    void everyServedRouteAndNothingElse() throws Exception {
        Set<String> served = new HashSet<>();
        for (Route r : routes.routeTable().routes()) {
            served.add(r.httpMethod().toLowerCase(Locale.ROOT) + " " + shape(OpenApiGenerator.path(r.template())));
        }
        Set<String> documented = new HashSet<>();
        document().get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(
                m -> documented.add(m + " " + shape(p.getKey()))));
        assertEquals(served, documented);
        assertEquals(routes.routeTable().routes().size(), documented.size(), "one operation per route");
    }

    @Test
    void isValidOpenApi31() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document().toString(), null, options);
        assertTrue(result.getMessages().isEmpty(), "parser messages: " + result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
    }

    @Test
    void everySchemaIsValidJsonSchema202012() throws Exception {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonNode components = document().get("components");
        components.get("schemas").fields().forEachRemaining(s -> {
            com.fasterxml.jackson.databind.node.ObjectNode root = s.getValue().deepCopy();
            root.set("components", components); // so that #/components/schemas/... resolves
            factory.getSchema(root).initializeValidators();
        });
    }

    @Test
    void operationIdsAreUniqueAndNamedByRpc() throws Exception {
        Set<String> ids = new HashSet<>();
        document().get("paths").forEach(item -> item.forEach(op -> assertTrue(ids.add(op.get("operationId").asText()))));
        assertTrue(ids.containsAll(Set.of("UserService_GetUserById", "UserService_GetUserById_2",
                "Greeter_SayHello", "OrderExportService_ExportOrders")), ids.toString());
    }

    @Test
    void descriptionsAndBehavioursComeFromTheProtos() throws Exception {
        JsonNode doc = document();
        JsonNode user = doc.at("/components/schemas/user.v1.User");
        assertTrue(user.at("/properties/email/description").asText().contains("unique among users"));
        assertTrue(user.at("/properties/orders/readOnly").asBoolean());
        JsonNode create = doc.at("/components/schemas/user.v1.CreateUserRequest");
        assertEquals("[\"email\"]", create.get("required").toString());
        assertEquals("[{\"required\":[\"firstName\"]},{\"required\":[\"first_name\"]}]",
                create.at("/allOf/0/anyOf").toString(), "required by either name");
        assertEquals(100, create.at("/properties/firstName/maxLength").asInt(), "protovalidate max_len");
        assertEquals(254, user.at("/properties/email/maxLength").asInt());
        assertEquals(0, user.at("/properties/id/exclusiveMinimum").asInt(), "protovalidate gt");
        boolean pageSize = false;
        for (JsonNode p : doc.at("/paths/~1v1~1users/get/parameters")) {
            if (p.get("name").asText().equals("pageSize")) {
                pageSize = p.at("/schema/minimum").asInt() == 0 && p.at("/schema/maximum").asInt() == 1000;
            }
        }
        assertTrue(pageSize, "pageSize is 0..1000 (protovalidate gte, lte)");
        assertEquals("[\"string\",\"null\"]", doc.at("/components/schemas/orders.v1.Order/properties/orderDate/type").toString());
        assertEquals("date-time", doc.at("/components/schemas/orders.v1.Order/properties/orderDate/format").asText());
        boolean tagged = false;
        for (JsonNode tag : doc.get("tags")) {
            tagged |= tag.get("name").asText().equals("user.v1.UserService")
                    && tag.get("description").asText().contains("Users of the shop");
        }
        assertTrue(tagged);
    }

    @Test
    void streamingAndErrorsAreDescribed() throws Exception {
        JsonNode doc = document();
        JsonNode export = doc.at("/paths/~1v1~1orders:export/get/responses/200/content");
        assertTrue(export.has("application/x-ndjson") && export.has("text/event-stream"), export.toString());
        assertEquals("#/components/responses/Status", doc.at("/paths/~1v1~1items/get/responses/default/$ref").asText());
        assertFalse(doc.at("/components/schemas/google.rpc.Status").isMissingNode());
    }

    /** google.api.HttpBody: the media types of (tandem.api.http_body), not JSON. */
    @Test
    void httpBodyMediaTypesAreDescribed() throws Exception {
        JsonNode doc = document();
        JsonNode export = doc.at("/paths/~1v1~1users~1{user_id}~1orders:exportCsv/get/responses/200/content");
        assertEquals(java.util.List.of("text/csv"), iterable(export.fieldNames()), export.toString());
        assertEquals("string", export.at("/text~1csv/schema/type").asText(), export.toString());
        JsonNode request = doc.at("/paths/~1v1~1items:import/post/requestBody/content");
        assertEquals(java.util.List.of("text/csv"), iterable(request.fieldNames()), request.toString());
        assertEquals("string", request.at("/text~1csv/schema/type").asText(), request.toString());
        JsonNode imported = doc.at("/paths/~1v1~1items:import/post/responses/200/content/application~1json/schema");
        assertFalse(imported.isMissingNode(), imported.toString());
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** (tandem.api.http_response): 201 with Location on the creates, the old gateway's 404 form on /api. */
    @Test
    void declaredStatusesLocationsAndErrorFormsAreDescribed() throws Exception {
        JsonNode doc = document();
        for (String create : java.util.List.of("~1v1~1users", "~1v1~1items", "~1v1~1users~1{user_id}~1orders")) {
            JsonNode responses = doc.at("/paths/" + create + "/post/responses");
            assertTrue(responses.has("201") && !responses.has("200"), create + ": " + responses);
            assertEquals("string", responses.at("/201/headers/Location/schema/type").asText(), responses.toString());
        }
        JsonNode old = doc.at("/paths/~1api~1users~1{id}/get/responses");
        assertEquals("Not found", old.at("/404/content/application~1json/schema/properties/error/const").asText(), old.toString());
        assertTrue(old.has("200") && !old.has("default"), old.toString());
    }

    @Test
    void servedAsJsonAndYamlWithSwaggerUi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi: 3.1.0"));
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("\"/v1/users/{id}\""));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void everyRestAssuredCallIsCheckedAgainstTheDocument() throws Exception {
        assertTrue(io.restassured.RestAssured.filters().stream().anyMatch(f -> f instanceof OpenApiContractFilter),
                "the contract filter is registered for every REST test");
        OpenApiContract contract = OpenApiContract.of(server.toURI().resolve("/"));
        assertTrue(contract.check("GET", "/v1/users/1", null, 200, "application/json",
                "{\"user\":{\"id\":1,\"firstName\":\"P\",\"lastName\":\"P\",\"email\":\"e\",\"orders\":[]}}").isEmpty());
        assertFalse(contract.check("GET", "/v1/users/1", null, 200, "application/json",
                "{\"user\":{\"id\":\"one\"}}").isEmpty(), "a wrong type is caught");
        assertFalse(contract.check("GET", "/v1/users/1", null, 404, "application/json",
                "{\"code\":\"five\"}").isEmpty(), "a malformed google.rpc.Status is caught");
        assertFalse(contract.check("POST", "/v1/users", "{\"email\":7}", 200, "application/json", "{}").isEmpty(),
                "an accepted request body is checked too");
    }

    private static String shape(String openApiPath) {
        return openApiPath.replaceAll("\\{[^}]*}", "{}");
    }
}
