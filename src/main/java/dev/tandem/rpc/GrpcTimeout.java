package dev.tandem.rpc;

import java.util.concurrent.TimeUnit;

/**
 * Reads the {@code Grpc-Timeout} header, which grpc-gateway also accepts from REST callers to set
 * the RPC's deadline. Format per the gRPC over HTTP/2 protocol: 1 to 8 ASCII digits followed by a
 * unit, {@code H} hours, {@code M} minutes, {@code S} seconds, {@code m} milliseconds, {@code u}
 * microseconds, {@code n} nanoseconds; e.g. {@code 1S}, {@code 250m}.
 */
public final class GrpcTimeout {

    /** What a valid value looks like, for error messages. */
    public static final String FORMAT = "expected 1 to 8 digits and a unit H, M, S, m, u or n";

    private GrpcTimeout() {}

    /**
     * @param header the header value
     * @return the timeout in nanoseconds, at least 0
     * @throws IllegalArgumentException if the value does not follow the format; its message says
     *     what the format is ({@link #FORMAT})
     */
    public static long parseNanos(String header) {
        int n = header.length();
        if (n < 2 || n > 9) {
            throw invalid();
        }
        long value = 0;
        for (int i = 0; i < n - 1; i++) {
            char c = header.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid();
            }
            value = value * 10 + (c - '0');
        }
        TimeUnit unit = switch (header.charAt(n - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> throw invalid();
        };
        return unit.toNanos(value);
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException(FORMAT);
    }
}
