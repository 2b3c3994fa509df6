package dev.tandem.protocol.http;

import dev.tandem.error.HttpStatusMapping;
import dev.tandem.error.StatusJson;
import io.grpc.Status;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jboss.logging.Logger;

/**
 * What every request on Tandem's port passes before any protocol edge, and what answers whatever
 * the HTTP layer itself refuses, so that every error on the port is a {@code google.rpc.Status}.
 *
 * <p>The first route ({@link #ROUTE_ORDER}) refuses HTTP/1.x requests whose framing is ambiguous,
 * the request-smuggling patterns of RFC 9112 sections 6.1 and 11.2, answering them and then closing
 * the connection without serving anything sent after them on it:
 *
 * <ul>
 *   <li>an HTTP version other than 1.0, 1.1 and 2 ({@code HTTP/9.9}): 505 (RFC 9110 section
 *       15.6.6);</li>
 *   <li>a {@code Transfer-Encoding} other than exactly one {@code chunked} (two fields, a list such
 *       as {@code chunked, identity}, an unknown coding such as {@code xchunked}): 400 (RFC 9112
 *       section 6.3: chunked not the final coding);</li>
 *   <li>{@code Transfer-Encoding: chunked} itself is served, and the connection is closed after
 *       the response ({@code Connection: close}): Netty's decoder drops a {@code Content-Length} sent
 *       beside it before Tandem sees the request, so a request with both cannot be told from a
 *       chunked one, and RFC 9112 section 6.1 requires closing the connection after such a message.
 *       Nothing sent after it on the connection is served. (Clients such as connect-node stream
 *       their HTTP/1.1 request bodies chunked, so chunked bodies cannot simply be refused.)</li>
 *   <li>a header field folded over lines from an empty first line (obs-fold, RFC 9112 section 5.2;
 *       Netty joins the lines, so only this form, which hides a {@code Transfer-Encoding}, can still
 *       be seen): 400;</li>
 *   <li>an HTTP/1.1 request without {@code Host} (RFC 9112 section 3.2): 400.</li>
 * </ul>
 *
 * <p>The router's first failure handler writes any failure of the HTTP layer (a request Vert.x Web
 * refuses, an exception in a Quarkus route) as a {@code google.rpc.Status} JSON
 * body with the failure's HTTP status ({@link HttpStatusMapping#code(int)} gives its code) instead of
 * Quarkus's error page; a 5xx is logged with its stack trace and answered without internals.
 */
@ApplicationScoped
public class HttpGuard {

    /** Before every protocol edge ({@code GrpcEdge} is -200) and every Quarkus route. */
    static final int ROUTE_ORDER = -10_000;

    private static final Logger LOG = Logger.getLogger(HttpGuard.class);

    /** HTTP/1.x connections a refusal is closing; weak, so a closed connection leaves by itself. */
    private final Map<HttpConnection, Boolean> refused = Collections.synchronizedMap(new WeakHashMap<>());

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check).failureHandler(HttpGuard::failure);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpVersion version = request.version();
        if (version == HttpVersion.HTTP_2) {
            ctx.next();
            return;
        }
        if (refused.containsKey(request.connection())) { // sent after a refused request: see refuseAndClose
            request.connection().close();
            return;
        }
        if (version == null) { // Vert.x knows HTTP/1.0, 1.1 and 2; Netty parses any HTTP/x.y
            refuseAndClose(request, 505, "HTTP version not supported: use HTTP/1.1 or HTTP/2 (RFC 9110 section 15.6.6)");
            return;
        }
        MultiMap headers = request.headers();
        String refusal = framingFault(headers);
        if (refusal != null) {
            refuseAndClose(request, 400, refusal);
            return;
        }
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) { // a single chunked: see the class comment
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.response().headersEndHandler(v -> ctx.response().putHeader(HttpHeaders.CONNECTION, "close"));
            HttpConnection connection = request.connection();
            ctx.addEndHandler(v -> {
                refused.put(connection, Boolean.TRUE);
                connection.close();
            });
        }
        if (version == HttpVersion.HTTP_1_1 && request.authority() == null && !headers.contains(HttpHeaders.HOST)) {
            HttpErrors.send(ctx.response(), 400, Status.Code.INVALID_ARGUMENT,
                    "an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)");
            return;
        }
        ctx.next();
    }

    /** @return why the request's framing is refused, or {@code null} */
    private static String framingFault(MultiMap headers) {
        for (Map.Entry<String, String> h : headers) {
            String v = h.getValue();
            if (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(0) == '\t')) {
                return "the header field " + h.getKey() + " is folded over lines (obs-fold, RFC 9112 section 5.2)";
            }
        }
        List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return null;
        }
        if (codings.size() == 1 && codings.get(0).equalsIgnoreCase("chunked")) {
            return null;
        }
        return "Transfer-Encoding " + String.join(", ", codings)
                + " is not accepted: the only transfer coding is a single chunked (RFC 9112 section 6.3)";
    }

    /**
     * Ends the refusal with {@code Connection: close} and closes the connection. Vert.x hands the
     * next request already read from the connection (the bytes after the refused one) to the router
     * as soon as this response ends, before the close takes effect: the connection is remembered in
     * {@link #refused} and {@link #check} closes it again, unanswered, for anything that follows.
     */
    private void refuseAndClose(HttpServerRequest request, int status, String message) {
        HttpConnection connection = request.connection();
        refused.put(connection, Boolean.TRUE);
        Buffer body = Buffer.buffer(StatusJson.print(com.google.rpc.Status.newBuilder()
                .setCode(HttpStatusMapping.code(status).value()).setMessage(message).build()));
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, StatusJson.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(body);
        connection.close();
    }

    private static void failure(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            ctx.request().connection().close(); // too late for a status: end the exchange
            return;
        }
        Throwable failure = ctx.failure();
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        String message;
        if (status >= 500) {
            LOG.error("HTTP request failed: " + ctx.request().method() + " " + ctx.request().path(), failure);
            message = "internal error";
        } else {
            message = HttpResponseStatus.valueOf(status).reasonPhrase();
            if (failure instanceof IllegalArgumentException && failure.getMessage() != null) {
                message += ": " + failure.getMessage();
            }
        }
        HttpErrors.send(response, status, HttpStatusMapping.code(status), message);
    }
}
