package io.orchide.orbit;

/**
 * A ground station: geodetic position on WGS-84, the minimum elevation above which it can talk to
 * a satellite, and its link rates (bits per second, up = ground to satellite).
 *
 * @throws OrbitInputException naming the field and value when a value is out of range
 */
public record GroundStation(String name, double latitudeDeg, double longitudeDeg, double altitudeM,
                            double minElevationDeg, long upRateBps, long downRateBps) {

    public GroundStation {
        if (name == null || name.isBlank()) {
            throw new OrbitInputException("name", name, "must not be blank");
        }
        range("latitudeDeg", latitudeDeg, -90, 90);
        range("longitudeDeg", longitudeDeg, -180, 180);
        range("altitudeM", altitudeM, -500, 10_000);
        range("minElevationDeg", minElevationDeg, 0, 90);
        if (upRateBps < 0) {
            throw new OrbitInputException("upRateBps", upRateBps, "must be >= 0");
        }
        if (downRateBps < 0) {
            throw new OrbitInputException("downRateBps", downRateBps, "must be >= 0");
        }
    }

    private static void range(String field, double v, double min, double max) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new OrbitInputException(field, v, "must be within [" + fmt(min) + ", " + fmt(max) + "]");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
