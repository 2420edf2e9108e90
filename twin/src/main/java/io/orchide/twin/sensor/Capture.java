package io.orchide.twin.sensor;

import io.orchide.node.device.Position;
import java.time.Instant;
import java.util.Objects;

/** One planned capture: when, where the satellite will be, and the name of the target region it images. */
public record Capture(Instant time, Position position, String target) {

    public Capture {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(target, "target");
    }
}
