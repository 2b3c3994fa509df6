package dev.tandem.validation;

import build.buf.protovalidate.ValidationResult;
import build.buf.protovalidate.Validator;
import build.buf.protovalidate.exceptions.ValidationException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import java.util.List;

/**
 * Every rule that applies to the request messages of one RPC, worked out once from the request
 * type at start-up and applied to each request, in this order:
 *
 * <ol>
 *   <li>{@code OUTPUT_ONLY} values are cleared ({@link OutputOnlyFields}, AIP-203), so nothing
 *       below, nor the service, sees them;</li>
 *   <li>{@code REQUIRED} fields must be set ({@link RequiredFields}, AIP-203);</li>
 *   <li>in an update request, the mask may not name unknown, immutable or output-only fields
 *       ({@link UpdateMaskRule}, AIP-134/161/203);</li>
 *   <li>the protovalidate rules of the {@code (buf.validate.field)} options hold.</li>
 * </ol>
 *
 * Steps 2 to 4 all run, so one answer lists every violation they find ({@link Violations}).
 * Thread-safe (immutable after construction).
 */
final class RequestRules {

    /** What {@link #apply} decided: the request to pass on, or why it is refused. */
    record Outcome(Message request, BadRequest violations) {
        /** @return whether the request may go on to the service */
        boolean accepted() {
            return violations == null;
        }
    }

    private final OutputOnlyFields outputOnly;
    private final boolean clearsOutputOnly;
    private final RequiredFields required;
    private final UpdateMaskRule update;
    private final Validator validator;

    /**
     * @param type the request type
     * @param outputOnly the shared output-only plans, prepared here for {@code type}
     * @param validator a protovalidate validator built for {@code type} (among others)
     */
    RequestRules(Descriptor type, OutputOnlyFields outputOnly, Validator validator) {
        this.outputOnly = outputOnly;
        this.clearsOutputOnly = outputOnly.prepare(type);
        this.update = UpdateMaskRule.of(type);
        this.required = RequiredFields.of(type, update == null ? null : update.resource());
        this.validator = validator;
    }

    /**
     * @param request a request message of this rule's type
     * @return the request without output-only values and no violations, or the violations
     * @throws ValidationException when protovalidate cannot evaluate a rule (a server bug: a rule
     *     that compiled but fails at run time)
     */
    Outcome apply(Message request) throws ValidationException {
        Message cleared = clearsOutputOnly ? outputOnly.clear(request) : request;
        Violations violations = new Violations();
        if (required != null) {
            required.check(cleared, "", List.of(), violations);
        }
        if (update != null) {
            update.check(cleared, violations);
        }
        ValidationResult result = validator.validate(cleared);
        ProtovalidateViolations.addTo(result.getViolations(), violations);
        return violations.isEmpty() ? new Outcome(cleared, null) : new Outcome(cleared, violations.toBadRequest());
    }
}
