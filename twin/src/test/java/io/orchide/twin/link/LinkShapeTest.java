package io.orchide.twin.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchide.orbit.GroundStation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkShapeTest {

    @Test
    void lossOutOfRangeNamesFieldAndValue() {
        assertThatThrownBy(() -> new LinkShape(1, 1, Duration.ZERO, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss: must be within [0, 1) (got 1.5)");
        assertThatThrownBy(() -> new LinkShape(1, 1, Duration.ZERO, 1.0))
                .hasMessage("loss: must be within [0, 1) (got 1.0)");
        assertThatThrownBy(() -> new LinkShape(1, 1, Duration.ZERO, -0.1))
                .hasMessage("loss: must be within [0, 1) (got -0.1)");
        assertThatThrownBy(() -> new LinkShape(1, 1, Duration.ZERO, Double.NaN))
                .hasMessage("loss: must be within [0, 1) (got NaN)");
    }

    @Test
    void negativeRatesNameFieldAndValue() {
        assertThatThrownBy(() -> new LinkShape(-5, 1, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upBitsPerSecond: must be >= 0 (got -5)");
        assertThatThrownBy(() -> new LinkShape(1, -7, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("downBitsPerSecond: must be >= 0 (got -7)");
    }

    @Test
    void badDelayNamesFieldAndValue() {
        assertThatThrownBy(() -> new LinkShape(1, 1, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay: must not be null (got null)");
        assertThatThrownBy(() -> new LinkShape(1, 1, Duration.ofSeconds(-1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay: must be >= 0 (got PT-1S)");
    }

    @Test
    void zeroRatesMeanUnlimitedAndAreValid() {
        LinkShape shape = new LinkShape(0, 0, Duration.ZERO, 0);
        assertThat(shape).isEqualTo(LinkShape.UNLIMITED);
    }

    @Test
    void retransmissionTimeoutIsTwiceTheDelayButAtLeast200ms() {
        assertThat(new LinkShape(0, 0, Duration.ofMillis(30), 0).retransmissionTimeout())
                .isEqualTo(Duration.ofMillis(200));
        assertThat(new LinkShape(0, 0, Duration.ofMillis(250), 0).retransmissionTimeout())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void takesTheRatesOfAStation() {
        GroundStation station = new GroundStation("kiruna", 67.86, 20.96, 400, 5, 256_000, 10_000_000);
        LinkShape shape = LinkShape.of(station, Duration.ofMillis(10), 0.01);
        assertThat(shape).isEqualTo(new LinkShape(256_000, 10_000_000, Duration.ofMillis(10), 0.01));
    }
}
