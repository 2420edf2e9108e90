package io.orchide.ground;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How often a ground that started without its database tries again. */
class StartBackoffTest {
    @Test
    void doublesFromTheFirstWaitUpToTheMostAndStaysThere() {
        StartBackoff b = StartBackoff.DEFAULT;
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nonsenseIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> new StartBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new StartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S");
        assertThatThrownBy(() -> StartBackoff.DEFAULT.delay(-1)).hasMessageContaining("-1");
    }
}
