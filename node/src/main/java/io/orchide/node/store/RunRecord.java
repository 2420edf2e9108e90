package io.orchide.node.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One start of a workload's monitor: generation of the spec it ran, attempt number within that generation, its
 * run directory, and, once ended, how it ended.
 */
public record RunRecord(long id, String workload, long generation, int attempt, Path runDir, RunState state,
                        Instant startedAt, Instant endedAt, Long shimPid, Long monitorPid, Integer exitCode,
                        Integer exitSignal, Integer guestCode, Boolean success, String reason) {

    /** Lifecycle of one run. */
    public enum RunState {
        /** Recorded, monitor not yet confirmed running. */
        STARTING,
        RUNNING,
        ENDED,
        /** Stopped by the operator (stop, restart, a new generation): neither a success nor a failure. */
        STOPPED,
        /** The launch failed before the monitor ran. */
        FAILED_TO_START
    }

    public boolean active() {
        return state == RunState.STARTING || state == RunState.RUNNING;
    }
}
