package io.orchide.ground.audit;

import java.time.Duration;

/**
 * How much of the audit log is kept: at most {@code maxEntries} entries and none older than {@code maxAge}; the
 * oldest go first. Defaults: {@link #DEFAULT}.
 */
public record AuditRetention(long maxEntries, Duration maxAge) {
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(365);
    public static final AuditRetention DEFAULT = new AuditRetention(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_AGE);

    public AuditRetention {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries: must be at least 1 (got " + maxEntries + ")");
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: must be a positive duration (got " + maxAge + ")");
        }
    }
}
