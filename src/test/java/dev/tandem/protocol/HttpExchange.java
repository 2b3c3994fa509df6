package dev.tandem.protocol;

import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP request/response to the application under test over a real Vert.x HTTP client, over
 * HTTP/1.1 or HTTP/2 (cleartext, prior knowledge): status, headers, trailers and the whole body, for
 * the tests of the gRPC-Web and Connect edges that check the wire format itself.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param trailers the HTTP trailers (HTTP/2 only)
 * @param body the response body
 */
public record HttpExchange(int status, MultiMap headers, MultiMap trailers, Buffer body) {

    /**
     * @param vertx the application's Vert.x
     * @param version {@link HttpVersion#HTTP_1_1} or {@link HttpVersion#HTTP_2}
     * @param method the HTTP method
     * @param uri path and query
     * @param headers request headers
     * @param body request body, or {@code null}
     * @return the response, read to its end
     * @throws Exception when the exchange fails or takes over 30 s
     */
    public static HttpExchange send(Vertx vertx, HttpVersion version, HttpMethod method, String uri,
            Map<String, String> headers, Buffer body) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("localhost").setDefaultPort(RestAssured.port));
        AtomicReference<String> phase = new AtomicReference<>("connecting");
        try {
            RequestOptions options = new RequestOptions().setMethod(method).setURI(uri);
            headers.forEach(options::putHeader);
            return onOneContext(vertx, () -> client.request(options)
                    .compose(req -> {
                        phase.set("connected as " + req.connection().localAddress() + ", awaiting the response head");
                        return body == null ? req.send() : req.send(body);
                    })
                    .compose(resp -> {
                        phase.set("got " + resp.statusCode() + " " + resp.headers() + ", awaiting the body's end");
                        return resp.body().map(b -> new HttpExchange(resp.statusCode(), resp.headers(),
                                resp.trailers(), b));
                    }));
        } catch (TimeoutException e) {
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (t.getName().contains("vert.x") || t.getName().contains("executor")) {
                    dump.append('\n').append(t.getName()).append(' ').append(t.getState());
                    for (int i = 0; i < Math.min(stack.length, 12); i++) {
                        dump.append("\n    at ").append(stack[i]);
                    }
                }
            });
            throw new AssertionError(method + " " + uri + " over " + version + " timed out after 30 s, "
                    + phase.get() + "; threads:" + dump, e);
        } finally {
            client.close();
        }
    }

    /**
     * Runs a client exchange on one Vert.x context and waits for it. A Vert.x client response drops
     * body chunks that arrive before a handler is set, and a future's callbacks run at once only on
     * the context that completes it: composed from a test thread, {@code resp.body()} may be set
     * after a small body has already arrived and the exchange never ends. Started on one context,
     * the connection, the response and every callback share it, so {@code body()} is set in time.
     *
     * @param vertx the application's Vert.x
     * @param exchange starts the exchange; called on the context
     * @return its result
     * @throws TimeoutException after 30 s
     * @throws Exception the exchange's failure
     */
    public static <T> T onOneContext(Vertx vertx, Supplier<Future<T>> exchange) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> exchange.get().onComplete(r -> {
            if (r.succeeded()) {
                done.complete(r.result());
            } else {
                done.completeExceptionally(r.cause());
            }
        }));
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return body.toString();
    }
}
