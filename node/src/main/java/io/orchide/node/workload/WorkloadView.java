package io.orchide.node.workload;

import io.orchide.model.App;
import io.orchide.model.RuntimeSpec;
import io.orchide.node.store.WorkloadRecord;

import java.time.Instant;

/**
 * A workload as listed: its App, the runtime it resolved to (from the manifest, or from the annotations of its
 * image; null until first resolved), desired and actual state, restarts, and its monitor's pid when running.
 */
public record WorkloadView(String name, App app, RuntimeSpec runtime, WorkloadRecord.Desired desired,
                           long generation, WorkloadState state, String message, int restarts, Instant createdAt,
                           Long monitorPid, Instant startedAt) {

    /**
     * What the operator asked for, as shown: {@code Running}, {@code Stopped}, or {@code Completed} for a workload
     * that ran to completion and that its restart policy does not start again (Never, or OnFailure after success).
     */
    public String desiredText() {
        if (desired == WorkloadRecord.Desired.STOPPED) return "Stopped";
        return state == WorkloadState.SUCCEEDED || state == WorkloadState.FAILED ? "Completed" : "Running";
    }
}
