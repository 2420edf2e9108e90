package io.orchide.twin.run;

import io.orchide.model.time.ScaledClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one simulated time of a scenario: every process the twin starts is given the same start and the same real
 * origin, so ground, nodes (also a node restarted mid-scenario) and the twin agree on the time.
 */
final class TwinClock {
    private final ScaledClock clock;
    private final Instant start;
    private final Instant origin;

    TwinClock(Instant start, double speed, Instant origin) {
        this.start = start;
        this.origin = origin;
        this.clock = new ScaledClock(start, speed, origin);
    }

    ScaledClock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The options that put an {@code orchide node} or {@code orchide ground} on this time. */
    List<String> processArgs() {
        return List.of("--clock-speed", Double.toString(clock.speed()), "--clock-start", start.toString(),
                "--clock-origin", origin.toString());
    }

    /** Sleeps until simulated time reaches {@code at}; returns at once when it already has. */
    void sleepUntil(Instant at) throws InterruptedException {
        Duration sim = Duration.between(clock.instant(), at);
        if (!sim.isPositive()) return;
        Duration real = ScaledClock.realDelay(clock, sim);
        Thread.sleep(Math.max(1, real.toMillis()));
    }
}
