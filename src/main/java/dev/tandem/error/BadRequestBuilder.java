package dev.tandem.error;

import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;

/**
 * Collects every field violation of one request, then fails once with all of them.
 *
 * <p>Per AIP-193 an {@code INVALID_ARGUMENT} carries a {@code google.rpc.BadRequest} detail with one
 * {@code FieldViolation} per bad field. Fields are named by their proto path relative to the request
 * message, in proto (snake_case) spelling: {@code email}, {@code user.first_name},
 * {@code page_size}, {@code update_mask}. Typical use:
 *
 * <pre>{@code
 * BadRequestBuilder violations = new BadRequestBuilder();
 * violations.check(request.getId() > 0, "id", "must be > 0");
 * violations.throwIfAny();   // INVALID_ARGUMENT listing every failed check, or nothing
 * }</pre>
 *
 * Not thread-safe; one instance per request.
 */
public final class BadRequestBuilder {

    private final BadRequest.Builder detail = BadRequest.newBuilder();

    /**
     * Records a violation of {@code field} unless {@code ok} holds.
     *
     * @param ok whether the field is valid
     * @param field proto path of the field, e.g. {@code user.email}
     * @param description what the field must satisfy, e.g. {@code "must be > 0"}
     * @return this builder
     */
    public BadRequestBuilder check(boolean ok, String field, String description) {
        return ok ? this : add(field, description);
    }

    /**
     * Records a violation of {@code field}.
     *
     * @param field proto path of the field, e.g. {@code page_token}
     * @param description what is wrong with it
     * @return this builder
     */
    public BadRequestBuilder add(String field, String description) {
        detail.addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description));
        return this;
    }

    /** @return whether no violation has been recorded */
    public boolean isEmpty() {
        return detail.getFieldViolationsCount() == 0;
    }

    /** @return the {@code google.rpc.BadRequest} detail with the violations recorded so far */
    public BadRequest build() {
        return detail.build();
    }

    /**
     * Fails when any violation has been recorded.
     *
     * @throws StatusRuntimeException {@code INVALID_ARGUMENT} with all recorded violations, built by
     *     {@link ApiErrors#invalidArgument(BadRequest)}
     */
    public void throwIfAny() {
        if (!isEmpty()) {
            throw ApiErrors.invalidArgument(build());
        }
    }
}
