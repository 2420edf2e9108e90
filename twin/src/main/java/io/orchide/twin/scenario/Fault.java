package io.orchide.twin.scenario;

import io.orchide.model.codec.Durations;

import java.time.Duration;

/**
 * A fault injected {@code at} a time after the scenario's start, lasting {@code duration} (null: it does not end by
 * itself), into one {@code satellite} or into ground. A ground replica's crash strikes {@code replica} (from 1) or,
 * when that is null, the replica serving {@code satellite} at that instant; other faults have no replica.
 */
public record Fault(Duration at, FaultKind kind, String satellite, Duration duration, Integer replica) {
    public Fault(Duration at, FaultKind kind, String satellite, Duration duration) {
        this(at, kind, satellite, duration, null);
    }

    public String describe() {
        String whom = replica != null ? " of replica " + replica
                : kind == FaultKind.GROUND_REPLICA_CRASH ? " of the replica serving " + satellite
                : satellite != null ? " of " + satellite : "";
        return kind + whom + (duration == null ? "" : " for " + Durations.format(duration));
    }
}
