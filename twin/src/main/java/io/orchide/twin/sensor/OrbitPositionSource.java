package io.orchide.twin.sensor;

import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;
import io.orchide.orbit.GroundTrack;
import io.orchide.orbit.Tle;
import java.time.Instant;
import java.util.Objects;

/**
 * The twin's stand-in for the GNSS receiver: the sub-satellite point of a TLE, propagated with SGP4 by a
 * {@link GroundTrack}. Each instance keeps its own propagator, which is not thread-safe: use one instance per thread
 * (they are cheap), or confine one to the thread that drives the simulated clock.
 */
public final class OrbitPositionSource implements PositionSource {
    private final GroundTrack track;

    /** A source following {@code tle}. */
    public OrbitPositionSource(Tle tle) {
        this.track = new GroundTrack(Objects.requireNonNull(tle, "tle"));
    }

    @Override
    public Position at(Instant time) {
        GroundTrack.Point p = track.at(Objects.requireNonNull(time, "time"));
        return new Position(p.time(), p.latitudeDeg(), p.longitudeDeg(), p.altitudeM());
    }
}
