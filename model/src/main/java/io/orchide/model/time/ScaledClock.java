package io.orchide.model.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time: a clock that starts at {@code start} and runs {@code speed} times faster than the JVM's monotonic
 * timer, for the digital twin and for tests of weeks without ground. Whatever waits for a clock instant converts the
 * simulated wait to a real one with {@link #realDelay}, so a schedule of "every 6 h" fires every 6 h of simulated
 * time. The same binary runs in flight with the system clock (speed 1).
 *
 * <p>Several processes share one simulated time when they are given the same {@code start} and the same real
 * {@code origin}, the wall-clock instant at which simulated time was {@code start}: a twin's ground and nodes agree,
 * and a node restarted in the middle of a scenario comes back at the scenario's time, not at its start.
 */
public final class ScaledClock extends Clock {
    private final Instant start;
    private final double speed;
    private final long originNanos;

    /** Simulated time that is {@code start} now. */
    public ScaledClock(Instant start, double speed) {
        this(start, speed, null);
    }

    /**
     * Simulated time that was {@code start} at the real instant {@code origin} (null: now); an origin in the past puts
     * the clock ahead of {@code start} by the real time since then, multiplied by the speed.
     */
    public ScaledClock(Instant start, double speed, Instant origin) {
        if (!(speed > 0) || Double.isInfinite(speed)) throw new IllegalArgumentException("speed must be positive, got " + speed);
        this.start = start;
        this.speed = speed;
        long now = System.nanoTime();
        if (origin == null) {
            this.originNanos = now;
        } else {
            Instant wall = Clock.systemUTC().instant();
            long since = Duration.between(origin, wall).toNanos();
            this.originNanos = now - since;
        }
    }

    public double speed() { return speed; }

    @Override
    public Instant instant() {
        long real = System.nanoTime() - originNanos;
        return start.plusNanos((long) (real * speed));
    }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }

    /** How long to wait in real time for {@code simulated} to pass on {@code clock} (unchanged for a real clock). */
    public static Duration realDelay(Clock clock, Duration simulated) {
        if (!(clock instanceof ScaledClock s) || s.speed == 1) return simulated;
        double nanos = simulated.toNanos() / s.speed;
        return Duration.ofNanos(nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos);
    }
}
