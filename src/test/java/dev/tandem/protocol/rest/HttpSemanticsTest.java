package dev.tandem.protocol.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TestChannels;
import dev.tandem.api.orders.v1.CreateItemRequest;
import dev.tandem.api.orders.v1.Item;
import dev.tandem.api.orders.v1.ItemServiceGrpc;
import dev.tandem.transcoding.RequestPath;
import dev.tandem.transcoding.Route;
import dev.tandem.transcoding.RouteTable;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The HTTP semantics REST clients expect, over real HTTP/1.1 (java.net.http): 201 Created with
 * {@code Location} on the creates, as {@code (tandem.api.http_response)} declares, gRPC unaffected;
 * {@code HEAD} on every GET route of the API (RFC 9110 9.3.2); conditional GET with {@code ETag}
 * and {@code If-None-Match} (RFC 9110 13.1.2, 15.4.5).
 */
@QuarkusTest
class HttpSemanticsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    /** One request path per GET route of the API; {@link #headIsGetWithoutContentOnEveryGetRoute} checks the coverage. */
    private static final List<String> GET_PATHS = List.of("/v1/greeter/World", "/v1/users/1", "/api/users/1",
            "/v1/users:all", "/api/users", "/v1/users", "/v1/users/1/orders", "/v1/orders/1", "/v1/items",
            "/v1/items/1", "/v1/orders:export", "/v1/users/1/orders:export", "/v1/users/1/orders:exportCsv");

    @TestHTTPResource("/")
    URL server;

    @Inject
    TranscodingRoutes routes;

    @Test
    void createsAnswer201WithTheLocationOfTheNewResource() throws Exception {
        String name = "kite " + UUID.randomUUID();
        HttpResponse<String> created = send("POST", "/v1/items", Map.of("Content-Type", "application/json"),
                "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/v1/items/\\d+"), location);
        HttpResponse<String> read = send("GET", location, Map.of(), null);
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains(name), read.body());

        String email = UUID.randomUUID() + "@example.com";
        String requestId = UUID.randomUUID().toString();
        String body = "{\"firstName\":\"Lo\",\"lastName\":\"Cation\",\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}";
        HttpResponse<String> user = send("POST", "/v1/users", Map.of("Content-Type", "application/json"), body);
        HttpResponse<String> replay = send("POST", "/v1/users", Map.of("Content-Type", "application/json"), body);
        assertEquals(201, user.statusCode(), user.body());
        assertEquals(201, replay.statusCode(), replay.body());
        String userLocation = user.headers().firstValue("Location").orElseThrow();
        assertTrue(userLocation.matches("/v1/users/\\d+"), userLocation);
        assertEquals(userLocation, replay.headers().firstValue("Location").orElseThrow(), "an idempotent replay answers the same");

        HttpResponse<String> order = send("POST", "/v1/users/2/orders", Map.of("Content-Type", "application/json"),
                "{\"itemId\":1,\"amount\":3}");
        assertEquals(201, order.statusCode(), order.body());
        assertTrue(order.headers().firstValue("Location").orElseThrow().matches("/v1/orders/\\d+"));

        HttpResponse<String> invalid = send("POST", "/v1/items", Map.of("Content-Type", "application/json"), "{\"name\":\" \"}");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.headers().firstValue("Location").isEmpty(), "no Location on a failure");
    }

    @Test
    void grpcCreateIsUnaffected() {
        Item item = ItemServiceGrpc.newBlockingStub(TestChannels.app())
                .createItem(CreateItemRequest.newBuilder().setName("grpc kite").build());
        assertTrue(item.getId() > 0);
    }

    @Test
    void headIsGetWithoutContentOnEveryGetRoute() throws Exception {
        Set<Route> covered = new HashSet<>();
        RouteTable table = routes.routeTable();
        for (String path : GET_PATHS) {
            covered.add(table.match("GET", RequestPath.parse(path)).route());
        }
        for (Route r : table.routes()) {
            String rpc = r.rpc().fullName();
            if (r.httpMethod().equals("GET") && (rpc.startsWith("user.") || rpc.startsWith("orders.") || rpc.startsWith("helloworld."))) {
                assertTrue(covered.contains(r), "no HEAD check for " + r);
            }
        }
        for (String path : concat(GET_PATHS, List.of("/v1/users/999999", "/api/users/999999", "/v1/users/abc"))) {
            HttpResponse<String> get = send("GET", path, Map.of(), null);
            HttpResponse<String> head = send("HEAD", path, Map.of(), null);
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals("", head.body(), path);
            for (String h : List.of("content-type", "etag", "location")) {
                assertEquals(get.headers().firstValue(h), head.headers().firstValue(h), path + " " + h);
            }
            if (get.headers().firstValue("content-length").isPresent()) {
                assertEquals(get.headers().firstValue("content-length"), head.headers().firstValue("content-length"), path);
                assertEquals(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                        Integer.parseInt(head.headers().firstValue("content-length").orElseThrow()), path);
            }
        }
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagIs304WithoutContent() throws Exception {
        HttpResponse<String> get = send("GET", "/v1/users/2", Map.of(), null);
        assertEquals(200, get.statusCode());
        String etag = get.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"\\d+\""), etag);
        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"nope\", " + etag, "*")) {
            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<String> cached = send(method, "/v1/users/2", Map.of("If-None-Match", ifNoneMatch), null);
                assertEquals(304, cached.statusCode(), method + " If-None-Match: " + ifNoneMatch);
                assertEquals("", cached.body());
                assertEquals(etag, cached.headers().firstValue("ETag").orElseThrow());
                assertNull(cached.headers().firstValue("content-type").orElse(null));
            }
        }
        HttpResponse<String> stale = send("GET", "/v1/users/2", Map.of("If-None-Match", "\"999999\""), null);
        assertEquals(200, stale.statusCode());
        assertEquals(get.body(), stale.body());

        // a change makes the old etag stale: the next conditional GET gets the new representation
        String email = UUID.randomUUID() + "@example.com";
        int id = Integer.parseInt(send("POST", "/v1/users", Map.of("Content-Type", "application/json"),
                "{\"firstName\":\"E\",\"lastName\":\"Tag\",\"email\":\"" + email + "\"}").headers()
                .firstValue("Location").orElseThrow().replace("/v1/users/", ""));
        String before = send("GET", "/v1/users/" + id, Map.of(), null).headers().firstValue("ETag").orElseThrow();
        assertEquals(200, send("PATCH", "/v1/users/" + id, Map.of("Content-Type", "application/json"),
                "{\"firstName\":\"Changed\"}").statusCode());
        HttpResponse<String> after = send("GET", "/v1/users/" + id, Map.of("If-None-Match", before), null);
        assertEquals(200, after.statusCode());
        assertTrue(after.body().contains("Changed"), after.body());
        assertNotNull(after.headers().firstValue("ETag").filter(e -> !e.equals(before)).orElse(null));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + server.getHost() + ":" + server.getPort() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
