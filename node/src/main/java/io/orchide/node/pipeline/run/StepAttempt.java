package io.orchide.node.pipeline.run;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One attempt of one instance of a step: {@code item} is the forEach instance (null: the step has no forEach),
 * {@code runDir} the monitor's run directory (pid, exit, console).
 */
public record StepAttempt(long runId, String step, Integer item, int attempt, StepState state, Path runDir,
                          Integer exitCode, String message, Long monitorPid, Instant startedAt, Instant endedAt) {
    /** The same attempt, its monitor now known by {@code pid}. */
    public StepAttempt withMonitorPid(long pid) {
        return new StepAttempt(runId, step, item, attempt, state, runDir, exitCode, message, pid, startedAt, endedAt);
    }

    public StepAttempt ended(StepState s, Integer code, String why, Instant at) {
        return new StepAttempt(runId, step, item, attempt, s, runDir, code, why, monitorPid, startedAt, at);
    }
}
