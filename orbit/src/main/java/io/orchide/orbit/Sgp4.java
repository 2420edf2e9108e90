package io.orchide.orbit;

import java.time.Instant;
import org.orekit.attitudes.FrameAlignedProvider;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.frames.Frame;
import org.orekit.propagation.Propagator;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.Constants;

/** Package-private glue between the records and Orekit, all on {@link OrekitData}'s context. */
final class Sgp4 {

    private Sgp4() {
    }

    static TLEPropagator propagator(Tle tle) {
        Frame teme = OrekitData.teme();
        TLE orekitTle = new TLE(tle.line1(), tle.line2(), OrekitData.utc());
        return TLEPropagator.selectExtrapolator(orekitTle, new FrameAlignedProvider(teme), Propagator.DEFAULT_MASS, teme);
    }

    static OneAxisEllipsoid earth() {
        return new OneAxisEllipsoid(Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING,
                OrekitData.itrf());
    }

    static AbsoluteDate date(Instant instant) {
        return new AbsoluteDate(instant, OrekitData.utc());
    }

    static Instant instant(AbsoluteDate date) {
        return date.toInstant(OrekitData.timeScales());
    }
}
