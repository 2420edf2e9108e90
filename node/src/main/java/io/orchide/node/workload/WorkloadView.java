package io.orchide.node.workload;

import io.orchide.model.App;
import io.orchide.node.store.WorkloadRecord;

import java.time.Instant;

/** A workload as listed: its App, desired and actual state, restarts, and the pid of its monitor when running. */
public record WorkloadView(String name, App app, WorkloadRecord.Desired desired, long generation,
                           WorkloadState state, String message, int restarts, Instant createdAt, Long monitorPid,
                           Instant startedAt) {
}
