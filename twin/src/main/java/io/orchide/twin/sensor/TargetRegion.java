package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;

/**
 * A latitude/longitude box on the ground that a camera should image, bounds inclusive, in degrees. A region whose
 * {@code minLongitudeDeg} is greater than its {@code maxLongitudeDeg} crosses the antimeridian: from 170 to -170
 * is the 20 degrees around longitude 180. Longitudes -180 and 180 are the same meridian.
 *
 * @throws DeviceInputException naming the field and value: a blank name, a bound that is not finite or out of range
 *     (latitudes [-90, 90], longitudes [-180, 180]), a minimum latitude above the maximum
 */
public record TargetRegion(String name, double minLatitudeDeg, double maxLatitudeDeg, double minLongitudeDeg,
                           double maxLongitudeDeg) {

    public TargetRegion {
        if (name == null || name.isBlank()) throw new DeviceInputException("name", name, "must not be blank");
        range("minLatitudeDeg", minLatitudeDeg, 90);
        range("maxLatitudeDeg", maxLatitudeDeg, 90);
        range("minLongitudeDeg", minLongitudeDeg, 180);
        range("maxLongitudeDeg", maxLongitudeDeg, 180);
        if (minLatitudeDeg > maxLatitudeDeg) {
            throw new DeviceInputException("minLatitudeDeg", minLatitudeDeg,
                    "must not exceed maxLatitudeDeg " + maxLatitudeDeg);
        }
    }

    /** Whether the region crosses the antimeridian (its longitudes wrap from 180 to -180). */
    public boolean crossesAntimeridian() {
        return minLongitudeDeg > maxLongitudeDeg;
    }

    /** Whether the point ({@code latitudeDeg}, {@code longitudeDeg}) lies in the region; false for non-finite input. */
    public boolean contains(double latitudeDeg, double longitudeDeg) {
        if (!(latitudeDeg >= minLatitudeDeg && latitudeDeg <= maxLatitudeDeg)) return false;
        if (!Double.isFinite(longitudeDeg)) return false;
        double lon = normalize(longitudeDeg);
        return inLongitudes(lon) || (lon == 180 && inLongitudes(-180));
    }

    /** Whether {@code position}'s sub-satellite point lies in the region. */
    public boolean contains(Position position) {
        return contains(position.latitudeDeg(), position.longitudeDeg());
    }

    private boolean inLongitudes(double lon) {
        return crossesAntimeridian()
                ? lon >= minLongitudeDeg || lon <= maxLongitudeDeg
                : lon >= minLongitudeDeg && lon <= maxLongitudeDeg;
    }

    /** {@code lon} in (-180, 180]. */
    private static double normalize(double lon) {
        double l = lon % 360;
        if (l > 180) l -= 360;
        if (l <= -180) l += 360;
        return l;
    }

    private static void range(String field, double v, int limit) {
        if (!Double.isFinite(v) || v < -limit || v > limit) {
            throw new DeviceInputException(field, v, "must be within [-" + limit + ", " + limit + "]");
        }
    }
}
