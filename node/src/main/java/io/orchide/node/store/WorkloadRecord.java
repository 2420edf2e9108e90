package io.orchide.node.store;

import io.orchide.model.App;

import java.time.Instant;

/** A desired workload as stored: its App, whether it should run, and the spec generation. */
public record WorkloadRecord(String name, App app, Desired desired, long generation, Instant createdAt,
                             Instant updatedAt) {
    /** What the operator wants of the workload. */
    public enum Desired { RUNNING, STOPPED }

    public WorkloadRecord withDesired(Desired d, Instant at) {
        return new WorkloadRecord(name, app, d, generation, createdAt, at);
    }
}
