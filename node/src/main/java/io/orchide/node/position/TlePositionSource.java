package io.orchide.node.position;

import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;
import io.orchide.orbit.GroundTrack;
import io.orchide.orbit.Tle;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the node's own TLE says the satellite is: the sub-satellite point propagated with SGP4, the code ground and
 * the twin use for passes and ground tracks. Good to a few kilometres near the TLE's epoch, which is enough for a
 * grant over a region or in sunlight; it drifts as the TLE ages, which is why a GNSS fix is preferred when there is
 * one. Thread-safe (the propagator is not, so calls are serialised).
 */
public final class TlePositionSource implements PositionSource {
    private final Tle tle;
    private final GroundTrack track;

    public TlePositionSource(Tle tle) {
        this.tle = Objects.requireNonNull(tle, "tle");
        this.track = new GroundTrack(tle);
    }

    @Override
    public synchronized Position at(Instant time) {
        GroundTrack.Point p = track.at(Objects.requireNonNull(time, "time"));
        double lon = p.longitudeDeg() > 180 ? p.longitudeDeg() - 360 : p.longitudeDeg();
        return new Position(p.time(), p.latitudeDeg(), lon, p.altitudeM());
    }

    public Tle tle() {
        return tle;
    }

    @Override
    public String toString() {
        return "tle " + tle.name() + " (epoch " + tle.line1().substring(18, 32).strip() + ")";
    }
}
