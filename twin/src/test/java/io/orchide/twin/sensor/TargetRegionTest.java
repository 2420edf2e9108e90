package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetRegionTest {

    @Test
    void containsItsPointsBoundsIncluded() {
        TargetRegion alps = new TargetRegion("alps", 44, 48, 5, 16);

        assertThat(alps.contains(46, 10)).isTrue();
        assertThat(alps.contains(44, 5)).isTrue();
        assertThat(alps.contains(48, 16)).isTrue();
        assertThat(alps.contains(43.99, 10)).isFalse();
        assertThat(alps.contains(46, 16.01)).isFalse();
        assertThat(alps.contains(46, 370)).isTrue();
        assertThat(alps.contains(Double.NaN, 10)).isFalse();
        assertThat(alps.contains(46, Double.NaN)).isFalse();
        assertThat(alps.crossesAntimeridian()).isFalse();
    }

    @Test
    void aRegionWhoseMinimumLongitudeIsEastOfItsMaximumCrossesTheAntimeridian() {
        TargetRegion fiji = new TargetRegion("fiji", -20, -15, 175, -178);

        assertThat(fiji.crossesAntimeridian()).isTrue();
        assertThat(fiji.contains(-17, 178)).isTrue();
        assertThat(fiji.contains(-17, 180)).isTrue();
        assertThat(fiji.contains(-17, -180)).isTrue();
        assertThat(fiji.contains(-17, -179)).isTrue();
        assertThat(fiji.contains(-17, -177)).isFalse();
        assertThat(fiji.contains(-17, 0)).isFalse();
        assertThat(fiji.contains(-17, 174)).isFalse();
    }

    @Test
    void longitudes180AndMinus180AreTheSameMeridian() {
        assertThat(new TargetRegion("w", 0, 1, -180, -170).contains(0.5, 180)).isTrue();
        assertThat(new TargetRegion("e", 0, 1, 170, 180).contains(0.5, -180)).isTrue();
        assertThat(new TargetRegion("all", -90, 90, -180, 180).contains(-90, 0)).isTrue();
    }

    @Test
    void refusesBadBoundsNamingFieldAndValue() {
        assertThatThrownBy(() -> new TargetRegion("r", -91, 0, 0, 1)).isInstanceOf(DeviceInputException.class)
                .hasMessage("minLatitudeDeg: must be within [-90, 90] (value: -91.0)");
        assertThatThrownBy(() -> new TargetRegion("r", 0, 90.5, 0, 1)).hasMessageStartingWith("maxLatitudeDeg:");
        assertThatThrownBy(() -> new TargetRegion("r", 0, 1, Double.NaN, 1)).hasMessageStartingWith("minLongitudeDeg:")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new TargetRegion("r", 0, 1, 0, 181)).hasMessageStartingWith("maxLongitudeDeg:");
        assertThatThrownBy(() -> new TargetRegion("r", 10, 5, 0, 1)).hasMessageStartingWith("minLatitudeDeg:")
                .hasMessageContaining("maxLatitudeDeg 5.0").hasMessageContaining("(value: 10.0)");
        assertThatThrownBy(() -> new TargetRegion(" ", 0, 1, 0, 1)).hasMessageStartingWith("name:");
    }
}
