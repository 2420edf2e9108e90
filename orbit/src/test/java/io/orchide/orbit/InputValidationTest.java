package io.orchide.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputValidationTest {

    private static final String L1 = Fixtures.ISS.line1();
    private static final String L2 = Fixtures.ISS.line2();

    @Test
    void validTleIsAcceptedAndParsed() {
        Tle tle = Tle.parse("ISS (ZARYA)\n" + L1 + "\n" + L2 + "\n");
        assertThat(tle).isEqualTo(Fixtures.ISS);
        assertThat(Tle.checksum(L1)).isEqualTo(7);
        assertThat(Tle.checksum(L2)).isEqualTo(7);
    }

    @Test
    void badChecksumIsRejectedNamingFieldAndValue() {
        String bad = L1.substring(0, 68) + "3";
        assertThatThrownBy(() -> new Tle("ISS", bad, L2))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("line1.checksum");
                    assertThat(e.value()).isEqualTo("3");
                })
                .hasMessageContaining("line1.checksum").hasMessageContaining("3").hasMessageContaining("7");
        String corrupted = L2.replace("51.6416", "51.6417");
        assertThatThrownBy(() -> new Tle("ISS", L1, corrupted))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("line2.checksum"));
    }

    @Test
    void shortLineIsRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> new Tle("ISS", L1, L2.substring(0, 60)))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("line2.length");
                    assertThat(e.value()).isEqualTo("60");
                })
                .hasMessageContaining("line2.length").hasMessageContaining("60");
    }

    @Test
    void otherTleErrorsNameTheirField() {
        assertThatThrownBy(() -> new Tle(" ", L1, L2))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> new Tle("ISS", L2, L1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("line1.lineNumber"));
        String other = L2.substring(0, 2) + "25545" + L2.substring(7, 68);
        assertThatThrownBy(() -> new Tle("ISS", L1, other + Tle.checksum(other)))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("line2.satelliteNumber");
                    assertThat(e.value()).isEqualTo("25545");
                });
    }

    @Test
    void stationLatitude91IsRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> new GroundStation("x", 91, 0, 0, 10, 1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("latitudeDeg");
                    assertThat(e.value()).isEqualTo("91.0");
                })
                .hasMessageContaining("latitudeDeg").hasMessageContaining("91.0").hasMessageContaining("[-90, 90]");
    }

    @Test
    void otherStationRangesAreChecked() {
        assertThatThrownBy(() -> new GroundStation("x", 0, 181, 0, 10, 1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("longitudeDeg"));
        assertThatThrownBy(() -> new GroundStation("x", 0, 0, 0, -1, 1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("minElevationDeg"));
        assertThatThrownBy(() -> new GroundStation("x", Double.NaN, 0, 0, 5, 1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("latitudeDeg"));
        assertThatThrownBy(() -> new GroundStation("x", 0, 0, 0, 5, -1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("upRateBps"));
        assertThatThrownBy(() -> new GroundStation("", 0, 0, 0, 5, 1, 1))
                .isInstanceOfSatisfying(OrbitInputException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }
}
