package dev.tandem.user;

import dev.tandem.error.BadRequestBuilder;
import java.util.regex.Pattern;

/**
 * Field rules of {@code user.v1.User} (see the proto comments): names not blank and at most
 * {@value UserEntity#NAME_MAX} characters; e-mail of the form {@code local@domain.tld} without
 * spaces, at most {@value UserEntity#EMAIL_MAX} characters (RFC 5321). No control characters
 * (PostgreSQL rejects NUL in text; the others have no place in a name). Values are checked after
 * {@link #clean} (surrounding whitespace removed), which is also how they are stored. Lengths count
 * Unicode code points, as PostgreSQL's {@code varchar(n)} does.
 */
final class UserValidation {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");

    private UserValidation() {
    }

    /**
     * @param value a request string, never null in proto3
     * @return {@code value} without leading and trailing whitespace
     */
    static String clean(String value) {
        return value.strip();
    }

    /**
     * Records a violation when a cleaned name is blank or too long.
     *
     * @param violations collector
     * @param field proto path, e.g. {@code first_name} or {@code user.first_name}
     * @param name cleaned value
     */
    static void name(BadRequestBuilder violations, String field, String name) {
        if (name.isEmpty()) {
            violations.add(field, "must not be blank");
        } else if (length(name) > UserEntity.NAME_MAX) {
            violations.add(field, "must be at most " + UserEntity.NAME_MAX + " characters");
        } else if (hasControl(name)) {
            violations.add(field, "must not contain control characters");
        }
    }

    /**
     * Records a violation when a cleaned e-mail address is blank, malformed or too long.
     *
     * @param violations collector
     * @param field proto path, e.g. {@code email} or {@code user.email}
     * @param email cleaned value
     */
    static void email(BadRequestBuilder violations, String field, String email) {
        if (email.isEmpty()) {
            violations.add(field, "must not be blank");
        } else if (length(email) > UserEntity.EMAIL_MAX) {
            violations.add(field, "must be at most " + UserEntity.EMAIL_MAX + " characters");
        } else if (hasControl(email) || !EMAIL.matcher(email).matches()) {
            violations.add(field, "must be an e-mail address like name@example.com");
        }
    }

    /**
     * @param s any string
     * @return its length in Unicode code points, as {@code varchar(n)} counts
     */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * @param s any string
     * @return whether it contains an ISO control character (U+0000..U+001F, U+007F..U+009F)
     */
    static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }
}
