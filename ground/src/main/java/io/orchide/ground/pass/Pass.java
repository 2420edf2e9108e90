package io.orchide.ground.pass;

import io.orchide.orbit.Contact;
import io.orchide.orbit.GroundStation;

import java.time.Instant;

/**
 * One pass of a satellite over a ground station: acquisition (AOS) and loss of signal (LOS) at the station's minimum
 * elevation, the highest elevation reached, and what the station's rates carry in that time, in bytes.
 */
public record Pass(String satellite, String station, Instant aos, Instant los, double maxElevationDeg,
                   long uplinkBytes, long downlinkBytes) {

    static Pass of(Contact c, GroundStation s) {
        double seconds = c.duration().toMillis() / 1000.0;
        return new Pass(c.satellite(), c.station(), c.start(), c.end(), c.maxElevationDeg(),
                (long) (s.upRateBps() * seconds / 8), (long) (s.downRateBps() * seconds / 8));
    }
}
