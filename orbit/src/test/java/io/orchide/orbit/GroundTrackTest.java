package io.orchide.orbit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GroundTrackTest {

    @Test
    void latitudeStaysWithinInclination() {
        GroundTrack track = new GroundTrack(Fixtures.ISS);
        double inclination = 51.6416;
        double maxAbsLat = 0;
        double minLon = 180;
        double maxLon = -180;
        Instant t0 = Fixtures.EPOCH;
        for (int s = 0; s <= 86_400; s += 30) {
            GroundTrack.Point p = track.at(t0.plusSeconds(s));
            // geodetic latitude may exceed the geocentric inclination by up to ~0.2 degrees
            assertThat(Math.abs(p.latitudeDeg())).isLessThanOrEqualTo(inclination + 0.25);
            assertThat(p.altitudeM()).isBetween(300_000.0, 450_000.0);
            maxAbsLat = Math.max(maxAbsLat, Math.abs(p.latitudeDeg()));
            minLon = Math.min(minLon, p.longitudeDeg());
            maxLon = Math.max(maxLon, p.longitudeDeg());
        }
        assertThat(maxAbsLat).isGreaterThan(inclination - 0.5);
        assertThat(minLon).isLessThan(-170);
        assertThat(maxLon).isGreaterThan(170);
    }

    @Test
    void equatorialOrbitStaysNearTheEquator() {
        Tle equatorial = Fixtures.issWithInclination("equatorial", 0.1);
        for (int s = 0; s <= 6_000; s += 60) {
            GroundTrack.Point p = GroundTrack.at(equatorial, Fixtures.EPOCH.plus(Duration.ofSeconds(s)));
            assertThat(Math.abs(p.latitudeDeg())).isLessThan(0.2);
        }
    }
}
