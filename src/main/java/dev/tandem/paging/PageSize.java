package dev.tandem.paging;

import dev.tandem.error.BadRequestBuilder;

/**
 * The {@code page_size} rule of Tandem's list methods (AIP-158, as the proto comments state it):
 * 0 (unset) means {@value #DEFAULT}; 1 to {@value #MAX} is taken as is; anything else is
 * {@code INVALID_ARGUMENT} on field {@code page_size}.
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
     * @param requested the request's {@code page_size}
     * @param violations receives a {@code page_size} violation when {@code requested} is negative or
     *     above {@value #MAX}
     * @return {@value #DEFAULT} for 0, {@code requested} when in 1..{@value #MAX}, else
     *     {@value #DEFAULT} (and a violation was recorded)
     */
    public static int resolve(int requested, BadRequestBuilder violations) {
        if (requested == 0) {
            return DEFAULT;
        }
        if (requested < 0 || requested > MAX) {
            violations.add("page_size", "must be between 1 and " + MAX + ", or 0 for " + DEFAULT);
            return DEFAULT;
        }
        return requested;
    }
}
