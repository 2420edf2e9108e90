package io.orchide.node.position;

import io.orchide.node.device.Position;
import io.orchide.orbit.Tle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TlePositionSourceTest {
    /** Satellite 00005 of Vallado et al., "Revisiting Spacetrack Report #3" (AIAA 2006-6753), SGP4-VER.TLE. */
    static final Tle SAT_00005 = new Tle("00005",
            "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753",
            "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667");
    static final Instant EPOCH = Instant.parse("2000-06-27T18:50:19.733568Z"); // day 179.78495062 of 2000

    @Test
    void theSubSatellitePointIsWhereTheReferenceSgp4OutputPutsTheSatellite() {
        TlePositionSource source = new TlePositionSource(SAT_00005);
        // the TEME positions (km) the paper's reference implementation prints for this TLE, at 0 and 360 minutes
        expect(source.at(EPOCH), EPOCH, 7022.46529266, -1400.08296755, 0.03995155);
        Instant later = EPOCH.plus(Duration.ofMinutes(360));
        expect(source.at(later), later, -7154.03120202, -3783.17682504, -3536.19412294);
    }

    /**
     * The geodetic point under a TEME position, computed here without Orekit: rotated into the Earth-fixed frame by
     * the IAU-82 Greenwich mean sidereal time (UT1 taken as UTC), then to WGS-84 latitude by Bowring's iteration.
     */
    private static void expect(Position p, Instant t, double x, double y, double z) {
        double jd = t.toEpochMilli() / 86_400_000.0 + 2440587.5;
        double c = (jd - 2451545.0) / 36525;
        double gmstSeconds = 67310.54841 + (876600.0 * 3600 + 8640184.812866) * c + 0.093104 * c * c - 6.2e-6 * c * c * c;
        double theta = Math.toRadians(((gmstSeconds % 86400 + 86400) % 86400) / 240);
        double xe = Math.cos(theta) * x + Math.sin(theta) * y, ye = -Math.sin(theta) * x + Math.cos(theta) * y;
        double a = 6378.137, f = 1 / 298.257223563, e2 = f * (2 - f);
        double r = Math.hypot(xe, ye), lat = Math.atan2(z, r * (1 - e2)), h = 0;
        for (int i = 0; i < 10; i++) {
            double n = a / Math.sqrt(1 - e2 * Math.sin(lat) * Math.sin(lat));
            h = r / Math.cos(lat) - n;
            lat = Math.atan2(z, r * (1 - e2 * n / (n + h)));
        }
        assertThat(p.time()).isEqualTo(t);
        assertThat(p.latitudeDeg()).isCloseTo(Math.toDegrees(lat), within(0.01));
        assertThat(p.longitudeDeg()).isCloseTo(Math.toDegrees(Math.atan2(ye, xe)), within(0.01));
        assertThat(p.altitudeM()).isCloseTo(h * 1000, within(500.0));
    }
}
