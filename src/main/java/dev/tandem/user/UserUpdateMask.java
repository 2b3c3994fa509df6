package dev.tandem.user;

import com.google.protobuf.FieldMask;
import dev.tandem.api.user.v1.User;
import dev.tandem.error.BadRequestBuilder;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code update_mask} rule of {@code UpdateUser}, per AIP-134: the mask names which of {@code
 * first_name}, {@code last_name} and {@code email} to change; the wildcard {@code "*"} means all
 * three; an absent or empty mask means those of the three that the request populates (non-empty).
 *
 * <p>Paths that are not fields of {@code User}, and {@code id} (immutable) and {@code orders} (output
 * only), are refused before the service runs ({@code dev.tandem.validation.UpdateMaskRule}, from the
 * proto's field behaviors); the remaining field that may not be updated, {@code etag}, is {@code
 * INVALID_ARGUMENT} on field {@code update_mask} here.
 */
final class UserUpdateMask {

    /** A field of {@code user.v1.User} that UpdateUser may change. */
    enum Field {
        FIRST_NAME("first_name"), LAST_NAME("last_name"), EMAIL("email");

        /** The field's proto name, as written in a mask path. */
        final String path;

        Field(String path) {
            this.path = path;
        }
    }

    private UserUpdateMask() {
    }

    /**
     * The fields a request changes.
     *
     * @param mask the request's mask (the default instance when absent)
     * @param changes the request's user, whose populated fields an empty mask selects
     * @param violations receives one {@code update_mask} violation per path that names another
     *     field
     * @return the fields to change; empty for an empty mask on a request that populates none
     */
    static Set<Field> fields(FieldMask mask, User changes, BadRequestBuilder violations) {
        if (mask.getPathsCount() == 0) {
            Set<Field> populated = EnumSet.noneOf(Field.class);
            if (!changes.getFirstName().isEmpty()) {
                populated.add(Field.FIRST_NAME);
            }
            if (!changes.getLastName().isEmpty()) {
                populated.add(Field.LAST_NAME);
            }
            if (!changes.getEmail().isEmpty()) {
                populated.add(Field.EMAIL);
            }
            return populated;
        }
        Set<Field> fields = EnumSet.noneOf(Field.class);
        for (String path : mask.getPathsList()) {
            switch (path) {
                case "*" -> fields.addAll(EnumSet.allOf(Field.class));
                case "first_name" -> fields.add(Field.FIRST_NAME);
                case "last_name" -> fields.add(Field.LAST_NAME);
                case "email" -> fields.add(Field.EMAIL);
                default -> violations.add("update_mask",
                        "path \"" + path + "\" may not be updated; allowed: first_name, last_name, email");
            }
        }
        return fields;
    }
}
