package io.orchide.orbit;

import java.time.Instant;
import java.util.Objects;
import org.hipparchus.util.FastMath;
import org.orekit.bodies.GeodeticPoint;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.utils.PVCoordinates;

/**
 * Sub-satellite point (geodetic latitude/longitude on WGS-84, and altitude) of a TLE satellite at
 * an instant, propagated with SGP4. One instance keeps its propagator: not thread-safe, use one per
 * thread (they are cheap).
 */
public final class GroundTrack {

    /** A point of the ground track; longitude in (-180, 180]. */
    public record Point(Instant time, double latitudeDeg, double longitudeDeg, double altitudeM) {
    }

    private final TLEPropagator propagator;
    private final OneAxisEllipsoid earth;

    public GroundTrack(Tle tle) {
        Objects.requireNonNull(tle, "tle");
        this.propagator = Sgp4.propagator(tle);
        this.earth = Sgp4.earth();
    }

    /** The sub-satellite point at {@code time}. */
    public Point at(Instant time) {
        var date = Sgp4.date(time);
        PVCoordinates pv = propagator.getPVCoordinates(date); // SGP4 in TEME
        GeodeticPoint gp = earth.transform(pv.getPosition(), propagator.getFrame(), date);
        return new Point(time, FastMath.toDegrees(gp.getLatitude()), FastMath.toDegrees(gp.getLongitude()),
                gp.getAltitude());
    }

    /** One-shot convenience for {@code new GroundTrack(tle).at(time)}. */
    public static Point at(Tle tle, Instant time) {
        return new GroundTrack(tle).at(time);
    }
}
