package dev.tandem.transcoding;

import com.google.protobuf.Descriptors.Descriptor;

/**
 * How a route answers, from the RPC's {@code (tandem.api.http_response)} option ({@code
 * tandem/api/http.proto}), compiled by {@link RouteCompiler}. Immutable.
 *
 * @param successStatus HTTP status of a success, 200 to 299 (200 without the option)
 * @param location the {@code Location} header of a success, or {@code null} for none
 * @param jspbType for the {@code JSPB_OBJECT} form, the response type as the original contract
 *     declares it ({@link JspbContract}); {@code null} for the proto3 JSON mapping
 * @param errorStatus when not 0, the HTTP status of every failure on this route, whose body is then
 *     {@code {"error": errorMessage}} instead of a {@code google.rpc.Status}
 * @param errorMessage the text of such a failure, or {@code null}
 */
public record RouteResponse(int successStatus, LocationTemplate location, Descriptor jspbType, int errorStatus,
        String errorMessage) {

    /** 200, no Location, proto3 JSON, {@code google.rpc.Status} errors. */
    public static final RouteResponse DEFAULT = new RouteResponse(200, null, null, 0, null);

    /** @return whether failures answer {@link #errorStatus()} and {@code {"error": ...}} */
    public boolean hasErrorOverride() {
        return errorStatus != 0;
    }
}
