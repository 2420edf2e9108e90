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

    /** Tells {@code first}, then {@code second}. */
    static RunObserver both(RunObserver first, RunObserver second) {
        return new RunObserver() {
            @Override
            public void runStarted(PipelineRun run) {
                first.runStarted(run);
                second.runStarted(run);
            }

            @Override
            public void attemptEnded(PipelineRun run, StepAttempt attempt) {
                first.attemptEnded(run, attempt);
                second.attemptEnded(run, attempt);
            }
        };
    }
}
