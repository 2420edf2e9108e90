package io.orchide.node.device;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionTest {
    private static final Instant T = Instant.parse("2026-12-01T00:12:00Z");

    @Test
    void acceptsTheBounds() {
        assertThat(new Position(T, -90, -180, 0).latitudeDeg()).isEqualTo(-90);
        assertThat(new Position(T, 90, 180, -12.5).longitudeDeg()).isEqualTo(180);
    }

    @Test
    void namesTheFieldAndTheValueItRefuses() {
        assertThatThrownBy(() -> new Position(T, 90.5, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latitudeDeg: must be within [-90, 90] (value: 90.5)");
        assertThatThrownBy(() -> new Position(T, 0, -181, 0))
                .isInstanceOfSatisfying(DeviceInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("longitudeDeg");
                    assertThat(e.value()).isEqualTo("-181.0");
                });
        assertThatThrownBy(() -> new Position(T, Double.NaN, 0, 0)).hasMessageContaining("latitudeDeg")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Position(T, 0, 0, Double.POSITIVE_INFINITY)).hasMessageContaining("altitudeM")
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new Position(null, 0, 0, 0)).hasMessageContaining("time");
    }
}
