package io.orchide.model;

import java.time.Duration;

/** An output kept for downlink: {@code priority} 0..100 (higher goes down first), kept on board {@code retention}. */
public record Product(int priority, Duration retention) {
    public static final int DEFAULT_PRIORITY = 50;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
}
