package io.orchide.node.pipeline.run;

/**
 * Told, on the engine's loop, when a run starts and when a step attempt ends: for metrics (trigger latency, step
 * durations). It must return at once and never throw; what the engine does never depends on it.
 */
public interface RunObserver {
    RunObserver NONE = new RunObserver() { };

    /** {@code run} started now: its {@code startedAt} is set. */
    default void runStarted(PipelineRun run) { }

    /** An attempt of a step of {@code run} ended: its {@code endedAt} and state are set. */
    default void attemptEnded(PipelineRun run, StepAttempt attempt) { }
}
