package io.orchide.twin.link;

import io.orchide.model.time.ScaledClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Simulated time for the emulator: nanoseconds of a {@link Clock} since a fixed origin, and waits for a simulated
 * instant that sleep the matching real time (never spin).
 */
final class SimTime {
    /** Shortest real sleep, so that a wait shorter than one real nanosecond still lets time advance. */
    private static final Duration MIN_REAL_SLEEP = Duration.ofNanos(1_000);

    private final Clock clock;
    private final Instant origin;

    SimTime(Clock clock) {
        this.clock = clock;
        this.origin = clock.instant();
    }

    /** Simulated nanoseconds since this object was made. */
    long now() {
        return saturatedNanos(Duration.between(origin, clock.instant()));
    }

    /** Sleeps until {@code simulatedNanos} of simulated time have passed. */
    void sleep(long simulatedNanos) throws InterruptedException {
        if (simulatedNanos > 0) {
            sleepUntil(saturatedAdd(now(), simulatedNanos));
        }
    }

    /** Sleeps until {@link #now()} reaches {@code target}. */
    void sleepUntil(long target) throws InterruptedException {
        for (long left = target - now(); left > 0; left = target - now()) {
            Duration real = ScaledClock.realDelay(clock, Duration.ofNanos(left));
            Thread.sleep(real.compareTo(MIN_REAL_SLEEP) < 0 ? MIN_REAL_SLEEP : real);
        }
    }

    static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** {@code d} in nanoseconds, saturated at the bounds of a long. */
    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
