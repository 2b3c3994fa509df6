package dev.tandem.transcoding;

/**
 * How strict the transcoder is with what a REST caller sends. The defaults are strict: grpc-gateway
 * silently drops unknown fields and parameters, which its own security notes warn about.
 *
 * @param rejectUnknownQueryParameters a query parameter that names no request field, or one the
 *     path or body already binds, is {@code INVALID_ARGUMENT}; otherwise it is ignored
 * @param rejectUnknownJsonFields a JSON body field the message does not have is {@code
 *     INVALID_ARGUMENT}; otherwise it is ignored
 * @param rejectBodyWithoutRule a request body on a route whose rule has none (every GET and DELETE)
 *     is {@code INVALID_ARGUMENT}; otherwise it is ignored
 * @param requireJsonContentType a body whose {@code Content-Type} is neither {@code
 *     application/json} nor {@code application/*+json} is HTTP 415; otherwise it is read as JSON
 *     whatever it claims (a missing {@code Content-Type} is always read as JSON)
 * @param maxBodyBytes largest accepted request body in bytes; a larger one is HTTP 413
 */
public record TranscodingOptions(
        boolean rejectUnknownQueryParameters,
        boolean rejectUnknownJsonFields,
        boolean rejectBodyWithoutRule,
        boolean requireJsonContentType,
        long maxBodyBytes) {

    /** Strict on every rule, bodies up to 1 MiB. */
    public static final TranscodingOptions STRICT = new TranscodingOptions(true, true, true, true, 1 << 20);
}
