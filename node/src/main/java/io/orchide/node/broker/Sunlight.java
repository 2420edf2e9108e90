package io.orchide.node.broker;

import java.time.Instant;

/**
 * Whether a point on the Earth is in daylight: the Sun's elevation there is above the horizon. The sub-solar point
 * comes from the low-precision solar coordinates of the Astronomical Almanac (about 0.01 degree from 1950 to 2050),
 * far finer than a grant's need (is the scene under the satellite lit).
 */
public final class Sunlight {
    private static final double J2000_MILLIS = 946_728_000_000.0; // 2000-01-01T12:00:00Z

    private Sunlight() {
    }

    /** The sub-solar point at {@code t}: {latitude, longitude} in degrees, longitude in [-180, 180). */
    public static double[] subSolarPoint(Instant t) {
        double n = (t.toEpochMilli() - J2000_MILLIS) / 86_400_000.0;
        double l = Math.toRadians(280.460 + 0.9856474 * n);
        double g = Math.toRadians(357.528 + 0.9856003 * n);
        double lambda = l + Math.toRadians(1.915) * Math.sin(g) + Math.toRadians(0.020) * Math.sin(2 * g);
        double eps = Math.toRadians(23.439 - 0.0000004 * n);
        double dec = Math.asin(Math.sin(eps) * Math.sin(lambda));
        double ra = Math.atan2(Math.cos(eps) * Math.sin(lambda), Math.cos(lambda));
        double gmst = Math.toRadians(280.46061837 + 360.98564736629 * n);
        double lon = Math.toDegrees(ra - gmst);
        lon = ((lon + 180) % 360 + 360) % 360 - 180;
        return new double[] {Math.toDegrees(dec), lon};
    }

    /** Whether the Sun is above the horizon at latitude {@code lat}, longitude {@code lon} (degrees) at {@code t}. */
    public static boolean lit(double lat, double lon, Instant t) {
        double[] s = subSolarPoint(t);
        double p = Math.toRadians(lat), d = Math.toRadians(s[0]);
        double cos = Math.sin(p) * Math.sin(d) + Math.cos(p) * Math.cos(d) * Math.cos(Math.toRadians(lon - s[1]));
        return cos > 0;
    }
}
