package io.orchide.node.position;

import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;

import java.time.Instant;
import java.util.Objects;

/** Asks {@code first} (a GNSS receiver) and, when it cannot say ({@link PositionUnavailableException}), {@code then}. */
public record FallbackPositionSource(PositionSource first, PositionSource then) implements PositionSource {
    public FallbackPositionSource {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(then, "then");
    }

    @Override
    public Position at(Instant time) {
        try {
            return first.at(time);
        } catch (PositionUnavailableException e) {
            return then.at(time);
        }
    }

    @Override
    public String toString() {
        return first + ", then " + then + " when it has no recent fix";
    }
}
