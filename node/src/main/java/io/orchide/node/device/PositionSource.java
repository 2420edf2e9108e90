package io.orchide.node.device;

import java.time.Instant;

/**
 * Tells where the satellite is at an instant: the GNSS receiver on board, the orbit propagator in the digital twin.
 * Time is always given, never read from a wall clock, so that the twin can run faster than real time.
 */
public interface PositionSource {

    /** The position at {@code time}. */
    Position at(Instant time);
}
