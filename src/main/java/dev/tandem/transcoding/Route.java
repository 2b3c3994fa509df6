package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * One HTTP binding of an RPC, compiled from an HttpRule (the rule itself or one of its {@code
 * additional_bindings}) by {@link RouteCompiler}. Immutable.
 *
 * @param httpMethod upper-case HTTP method, e.g. {@code GET}, or a {@code custom} rule's kind
 * @param template the compiled path template
 * @param pathFields the request field of each template variable, aligned with {@link
 *     PathTemplate#variables()}
 * @param body what the HTTP body carries
 * @param bodyField the request field the body maps to when {@code body} is {@link Body#FIELD}, else
 *     {@code null}
 * @param responseBodyField the response field sent instead of the whole response ({@code
 *     response_body}), or {@code null}
 * @param rpc the RPC this route calls
 * @param rule the rule as text for messages, e.g. {@code GET /v1/users/{id}}
 * @param query the query parameters the route takes, resolved when it was compiled
 * @param response how a success and a failure are answered ({@code tandem.api.http_response})
 * @param httpBody whether the request body and the response are raw {@code google.api.HttpBody} bytes,
 *     decided once when the route is compiled ({@link HttpBodies})
 */
public record Route(
        String httpMethod,
        PathTemplate template,
        FieldPath[] pathFields,
        Body body,
        FieldDescriptor bodyField,
        FieldDescriptor responseBodyField,
        RpcMethod rpc,
        String rule,
        QueryParameters query,
        RouteResponse response,
        HttpBodies httpBody) {

    /** What the HTTP request body of a route carries, per the HttpRule {@code body} field. */
    public enum Body {
        /** {@code body} unset: no body; fields not bound by the path come from the query. */
        NONE,
        /** {@code body: "*"}: every field not bound by the path; no query parameters. */
        ALL,
        /** {@code body: "<field>"}: that one top-level field; others from path and query. */
        FIELD
    }

    @Override
    public String toString() {
        return rule + " -> " + rpc.fullName();
    }
}
