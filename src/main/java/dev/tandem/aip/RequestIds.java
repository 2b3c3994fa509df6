package dev.tandem.aip;

import dev.tandem.error.ApiErrors;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * AIP-155 request ids of create methods, and the retry that makes a concurrent duplicate create
 * answer with the one resource that was written.
 *
 * <p>Storage: the created row keeps the request id (column {@code request_id}, a unique index) and a
 * SHA-256 of the request's content (column {@code request_hash}), so idempotency lasts as long as
 * the row does. A create with a request id first looks the id up: found with the same hash, it
 * returns that resource as it is now and writes nothing; found with another hash, {@code
 * INVALID_ARGUMENT} on {@code request_id} (the id was reused for a different request, a client
 * bug; AIP-155 leaves the code to the service). Two creates with the same id racing past the lookup
 * both insert; the unique index lets one commit, the other fails with {@link DuplicateRequest},
 * rolls back, and {@link #retryingDuplicates} runs it again, when the lookup finds the winner's row.
 */
public final class RequestIds {

    /** How many times a create that lost a request-id race is run again before giving up (ABORTED). */
    static final int ATTEMPTS = 3;

    private RequestIds() {
    }

    /**
     * Reads a {@code request_id} field. Its form is a rule of the proto ({@code (buf.validate.field)
     * .string.uuid}: 8-4-4-4-12 hex digits, any case), which {@code
     * dev.tandem.validation.ValidationInterceptor} enforces before a service runs.
     *
     * @param value the field, empty or a UUID in its canonical form; empty means "not idempotent"
     * @return the UUID, or empty when the field is empty
     * @throws IllegalArgumentException when {@code value} is not a UUID (the request bypassed
     *     validation: a server bug)
     */
    public static Optional<UUID> field(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(UUID.fromString(value));
    }

    /**
     * A fingerprint of a request's content.
     *
     * @param parts the request's fields, after the cleaning the service applies, in a fixed order
     * @return 64 lower-case hex digits: SHA-256 of the parts, each length-prefixed (so no two
     *     different lists collide by concatenation)
     */
    public static String hash(Object... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object p : parts) {
                byte[] b = String.valueOf(p).getBytes(StandardCharsets.UTF_8);
                sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The failure for a request id already used with different content.
     *
     * @param field e.g. {@code request_id}
     * @return {@code INVALID_ARGUMENT} naming {@code field}
     */
    public static StatusRuntimeException reusedForAnotherRequest(String field) {
        return ApiErrors.invalidArgument(field, "was already used for a different request; use a new UUID");
    }

    /**
     * Runs a create, again when it fails with {@link DuplicateRequest} (its transaction has rolled
     * back by then), at most {@value #ATTEMPTS} times. Call it outside any transaction.
     *
     * @param create a {@code @Transactional} create method of a service
     * @param <T> the created resource
     * @return what {@code create} returns
     * @throws StatusRuntimeException {@code ABORTED} when every attempt lost a race (not seen in
     *     practice: the second attempt finds the winner's row); whatever {@code create} throws
     *     otherwise
     */
    public static <T> T retryingDuplicates(Supplier<T> create) {
        for (int attempt = 1; ; attempt++) {
            try {
                return create.get();
            } catch (DuplicateRequest e) {
                if (attempt >= ATTEMPTS) {
                    throw ApiErrors.aborted(Etags.CONCURRENT_UPDATE, e.getMessage(),
                            "concurrent creates with the same request_id; retry");
                }
            }
        }
    }

    /**
     * Thrown by a create whose insert violated a unique index while it had a request id: another
     * create (maybe with the same request id) committed first. Rolls the transaction back; {@link
     * #retryingDuplicates} then runs the create again. Never reaches a client.
     */
    public static final class DuplicateRequest extends RuntimeException {

        /** @param resourceType e.g. {@code users} */
        public DuplicateRequest(String resourceType) {
            super(resourceType, null, false, false);
        }
    }
}
