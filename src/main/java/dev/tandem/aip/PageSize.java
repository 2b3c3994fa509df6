package dev.tandem.aip;

/**
 * The {@code page_size} of Tandem's list methods (AIP-158, as the proto comments state it): 0
 * (unset) means {@value #DEFAULT}; 1 to {@value #MAX} is taken as is. Anything else is refused
 * before a service runs, with {@code INVALID_ARGUMENT} on field {@code page_size}, by the proto's
 * rule {@code (buf.validate.field).int32 = {gte: 0, lte: 1000}} ({@code
 * dev.tandem.validation.ValidationInterceptor}); {@code ProtoConstraintsTest} keeps {@link #MAX}
 * and that rule equal.
 */
public final class PageSize {

    /** Page size used when the request leaves {@code page_size} at 0. */
    public static final int DEFAULT = 50;
    /** Largest accepted {@code page_size}. */
    public static final int MAX = 1000;

    private PageSize() {
    }

    /**
     * The effective page size of a request.
     *
     * @param requested the request's {@code page_size}, 0..{@value #MAX} (validated)
     * @return {@value #DEFAULT} for 0, else {@code requested}
     * @throws IllegalArgumentException outside 0..{@value #MAX} (the request bypassed validation: a
     *     server bug)
     */
    public static int resolve(int requested) {
        if (requested < 0 || requested > MAX) {
            throw new IllegalArgumentException("page_size " + requested + " was not validated");
        }
        return requested == 0 ? DEFAULT : requested;
    }
}
