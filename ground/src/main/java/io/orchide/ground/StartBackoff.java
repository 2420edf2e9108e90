package io.orchide.ground;

import java.time.Duration;

/**
 * How long a ground that started without its database waits before each try to set itself up: {@code first}, then
 * twice as long each time up to {@code max}, so that a database down for hours costs a try every {@code max} and one
 * back in a second is noticed within about a second.
 */
record StartBackoff(Duration first, Duration max) {
    static final StartBackoff DEFAULT = new StartBackoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    StartBackoff {
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("first must be positive: " + first);
        if (max.compareTo(first) < 0) throw new IllegalArgumentException("max " + max + " is below first " + first);
    }

    /** The wait before try {@code attempt} (0 = the first retry). */
    Duration delay(int attempt) {
        if (attempt < 0) throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        int shift = Math.min(attempt, 30);
        Duration d = first.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
