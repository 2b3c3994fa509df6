package dev.tandem.transcoding;

import com.google.api.HttpBody;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.List;
import java.util.Locale;

/**
 * Which parts of a route are {@code google.api.HttpBody} (google/api/httpbody.proto) rather than
 * JSON, decided once by {@link RouteCompiler} from the descriptors, with the media types of Tandem's
 * {@code (tandem.api.http_body)} option. Immutable.
 *
 * <p>The rules, as grpc-gateway and Envoy's gRPC-JSON transcoder apply them:
 *
 * <ul>
 *   <li>request: with {@code body: "*"} on a request message that IS {@code google.api.HttpBody}, or
 *       {@code body: "<field>"} naming a singular {@code google.api.HttpBody} field, the request
 *       bytes go into {@code data} unparsed and the request's {@code Content-Type} into {@code
 *       content_type}; path and query parameters still bind the other fields;</li>
 *   <li>response: a response message that IS {@code google.api.HttpBody} (and no {@code
 *       response_body}) is written as its {@code data} bytes with its {@code content_type} as {@code
 *       Content-Type}; on a server-streaming RPC each message's {@code data} is written as it arrives,
 *       the {@code Content-Type} coming from the first.</li>
 * </ul>
 *
 * @param request whether the request body is raw bytes into an HttpBody
 * @param response whether the response is written as raw bytes
 * @param requestMediaTypes media types ({@code type/subtype}, lower case) the request body may have;
 *     empty: any
 * @param responseMediaType the documented media type of the response body, or {@code null}
 */
public record HttpBodies(boolean request, boolean response, List<String> requestMediaTypes, String responseMediaType) {

    /** JSON both ways. */
    public static final HttpBodies NONE = new HttpBodies(false, false, List.of(), null);

    /** The media type of an HttpBody response that does not say, RFC 9110 section 8.3. */
    public static final String OCTET_STREAM = "application/octet-stream";

    /** @return whether the message type is {@code google.api.HttpBody} */
    static boolean isHttpBody(Descriptor type) {
        return type.getFullName().equals(HttpBody.getDescriptor().getFullName());
    }

    /**
     * @param body how the rule maps the body
     * @param bodyField the body field, for {@link Route.Body#FIELD}
     * @param input the request type
     * @return whether the request body is raw bytes of an HttpBody
     */
    static boolean rawRequest(Route.Body body, FieldDescriptor bodyField, Descriptor input) {
        return switch (body) {
            case ALL -> isHttpBody(input);
            case FIELD -> !bodyField.isRepeated() && bodyField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && isHttpBody(bodyField.getMessageType());
            case NONE -> false;
        };
    }

    /**
     * @param contentType a {@code Content-Type} header value, or {@code null}
     * @return its media type without parameters, lower case (RFC 9110 section 8.3.1: case-insensitive),
     *     or {@code null}
     */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.isEmpty() ? null : media;
    }

    /**
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @return whether the request body may have it: always when no media types are declared
     */
    public boolean accepts(String contentType) {
        String media = mediaType(contentType);
        return requestMediaTypes.isEmpty() || media != null && requestMediaTypes.contains(media);
    }
}
