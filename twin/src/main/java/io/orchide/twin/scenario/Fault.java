package io.orchide.twin.scenario;

import java.time.Duration;

/** A fault injected {@code at} a time after the scenario's start into one satellite, lasting {@code duration}. */
public record Fault(Duration at, FaultKind kind, String satellite, Duration duration) {
    public String describe() {
        return kind + " of " + satellite + (duration == null ? "" : " for " + io.orchide.model.codec.Durations.format(duration));
    }
}
