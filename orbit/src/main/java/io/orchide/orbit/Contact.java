package io.orchide.orbit;

import java.time.Duration;
import java.time.Instant;

/**
 * One contact window: the satellite is above the station's minimum elevation from {@code start}
 * to {@code end} (clipped to the planning interval when the pass is in progress at its edges).
 */
public record Contact(String satellite, String station, Instant start, Instant end, double maxElevationDeg) {

    public Contact {
        if (end.isBefore(start)) {
            throw new OrbitInputException("end", end, "is before start " + start);
        }
    }

    public Duration duration() {
        return Duration.between(start, end);
    }
}
