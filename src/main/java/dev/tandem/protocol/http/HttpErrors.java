package dev.tandem.protocol.http;

import dev.tandem.error.HttpStatusMapping;
import dev.tandem.error.StatusJson;
import io.grpc.Status;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes an error that an HTTP protocol edge answers itself, before or instead of an RPC, as every
 * error on Tandem's port is answered: a {@code google.rpc.Status} JSON body ({@link StatusJson}) with
 * an HTTP status ({@link HttpStatusMapping} of its code unless the protocol says otherwise, e.g. 405,
 * 413, 415, 505).
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    /**
     * Ends the response with a {@code google.rpc.Status} JSON body, unless it has already ended or
     * the client went away.
     *
     * @param response the response
     * @param httpStatus the HTTP status; 0 for {@link HttpStatusMapping#httpStatus} of {@code code}
     * @param code the status code
     * @param message for the client, no internals
     */
    public static void send(HttpServerResponse response, int httpStatus, Status.Code code, String message) {
        send(response, httpStatus, com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message).build());
    }

    /**
     * Ends the response with the JSON of {@code status}.
     *
     * @param response the response
     * @param httpStatus the HTTP status; 0 for {@link HttpStatusMapping#httpStatus} of the status's code
     * @param status the status, with its details
     */
    public static void send(HttpServerResponse response, int httpStatus, com.google.rpc.Status status) {
        if (response.ended() || response.closed()) {
            return;
        }
        int http = httpStatus != 0 ? httpStatus : HttpStatusMapping.httpStatus(Status.fromCodeValue(status.getCode()).getCode());
        response.setStatusCode(http).putHeader(HttpHeaders.CONTENT_TYPE, StatusJson.MEDIA_TYPE).end(StatusJson.print(status));
    }
}
