package io.orchide.node.device;

import java.time.Instant;

/**
 * Where the satellite was at an instant: geodetic latitude and longitude (degrees, WGS-84) of the sub-satellite point
 * and the altitude above the ellipsoid (metres).
 *
 * @throws DeviceInputException naming the field and value: a missing time, a latitude outside [-90, 90], a longitude
 *     outside [-180, 180], or a value that is not finite
 */
public record Position(Instant time, double latitudeDeg, double longitudeDeg, double altitudeM) {

    public Position {
        if (time == null) throw new DeviceInputException("time", null, "is missing");
        range("latitudeDeg", latitudeDeg, 90);
        range("longitudeDeg", longitudeDeg, 180);
        if (!Double.isFinite(altitudeM)) throw new DeviceInputException("altitudeM", altitudeM, "must be finite");
    }

    private static void range(String field, double v, int limit) {
        if (!Double.isFinite(v) || v < -limit || v > limit) {
            throw new DeviceInputException(field, v, "must be within [-" + limit + ", " + limit + "]");
        }
    }
}
