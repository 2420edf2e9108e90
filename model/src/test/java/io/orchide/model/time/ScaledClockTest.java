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
}
