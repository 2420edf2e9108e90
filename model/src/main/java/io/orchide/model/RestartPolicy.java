package io.orchide.model;

import java.time.Duration;

/**
 * When a workload that ended is started again. Backoff doubles from {@code initialBackoff} up to
 * {@code maxBackoff}; {@code crashLoopLimit} failures within {@code crashLoopWindow} mark the workload crash-looping.
 */
public record RestartPolicy(Policy policy, Duration initialBackoff, Duration maxBackoff,
                            int crashLoopLimit, Duration crashLoopWindow) {
    public enum Policy {
        NEVER("Never"), ON_FAILURE("OnFailure"), ALWAYS("Always");

        private final String wire;

        Policy(String wire) { this.wire = wire; }

        public String wire() { return wire; }

        public static Policy fromWire(String s) {
            for (Policy p : values()) if (p.wire.equals(s)) return p;
            throw new IllegalArgumentException(s);
        }

        @Override public String toString() { return wire; }
    }

    public static final RestartPolicy DEFAULT =
            new RestartPolicy(Policy.NEVER, Duration.ofSeconds(1), Duration.ofMinutes(5), 5, Duration.ofMinutes(10));

    /** Delay before restart attempt number {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        long ms = initialBackoff.toMillis();
        for (int i = 1; i < attempt && ms < maxBackoff.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
