package io.orchide.model;

import java.time.Duration;

/** How often a failed step attempt is repeated: at most {@code limit} times, waiting {@code backoff}, doubling. */
public record Retries(int limit, Duration backoff) {
    public static final int MAX_LIMIT = 10;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
    public static final Retries NONE = new Retries(0, DEFAULT_BACKOFF);

    /** Delay before retry number {@code retry} (1-based): backoff, then twice that, and so on. */
    public Duration delay(int retry) {
        return backoff.multipliedBy(1L << Math.min(Math.max(retry - 1, 0), 30));
    }
}
