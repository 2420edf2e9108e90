package io.orchide.model.time;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaledClockTest {
    @Test
    void simulatedTimeRunsFasterAndWaitsShrinkByTheSpeed() throws Exception {
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        ScaledClock c = new ScaledClock(start, 3600);
        Instant a = c.instant();
        Thread.sleep(20);
        Instant b = c.instant();
        assertThat(a).isAfterOrEqualTo(start);
        assertThat(Duration.between(a, b)).isGreaterThanOrEqualTo(Duration.ofSeconds(72)); // 20 ms x 3600
        assertThat(ScaledClock.realDelay(c, Duration.ofHours(6))).isEqualTo(Duration.ofSeconds(6));
        assertThat(ScaledClock.realDelay(Clock.systemUTC(), Duration.ofHours(6))).isEqualTo(Duration.ofHours(6));
        assertThatThrownBy(() -> new ScaledClock(start, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClockWithAnOriginInThePastJoinsTheSimulatedTimeOfThoseStartedThen() {
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        Instant origin = Instant.now().minusSeconds(10); // a twin started 10 s ago at 60x: 10 min of simulated time
        ScaledClock late = new ScaledClock(start, 60, origin);
        assertThat(Duration.between(start, late.instant())).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(30));
        ScaledClock fresh = new ScaledClock(start, 60, null);
        assertThat(Duration.between(start, fresh.instant())).isLessThan(Duration.ofMinutes(10));
    }
}
