package io.orchide.twin.plan;

import io.orchide.orbit.Contact;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.sensor.Capture;

import java.time.Instant;

/** Something the twin does at an instant of simulated time. */
public sealed interface TwinEvent {
    Instant at();

    /** Order among events at the same instant: ends of things before starts, status last. */
    int rank();

    /** A ground station comes into view of a satellite (AOS). */
    record ContactStart(Instant at, Contact contact, GroundStation station) implements TwinEvent {
        public int rank() { return 2; }
    }

    /** The station goes out of view (LOS). */
    record ContactEnd(Instant at, Contact contact, GroundStation station) implements TwinEvent {
        public int rank() { return 0; }
    }

    /** A satellite's camera takes a picture over a target. */
    record CaptureDue(Instant at, String satellite, Capture capture) implements TwinEvent {
        public int rank() { return 3; }
    }

    /** A fault begins. */
    record FaultStart(Instant at, Fault fault) implements TwinEvent {
        public int rank() { return 1; }
    }

    /** A lasting fault ends (power back, link repaired). */
    record FaultEnd(Instant at, Fault fault) implements TwinEvent {
        public int rank() { return 0; }
    }

    /** Time for a status line. */
    record StatusDue(Instant at) implements TwinEvent {
        public int rank() { return 4; }
    }
}
