package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.workload.LaunchedRun;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One instance of a step in an active run (the step itself, or one forEach item), as the engine tracks it: its
 * current attempt, how many attempts failed, when it may start again, and its monitor while it runs. Touched only
 * on the engine's thread.
 */
final class Instance {
    final String step;
    final Integer item;
    final Amount need;
    StepAttempt attempt;          // the current (latest) attempt; null before the first
    int failures;                 // failed attempts so far, against the step's retries
    Instant notBefore;            // a retry waits until then
    App app;                      // the App of the running attempt, as resolved for its driver
    LaunchedRun launched;         // the running monitor; null when not running
    ScheduledFuture<?> timer;     // timeout, then stop escalation
    boolean timedOut;

    Instance(String step, Integer item, Amount need) {
        this.step = step;
        this.item = item;
        this.need = need;
    }

    boolean running() {
        return attempt != null && attempt.state() == StepState.RUNNING;
    }

    /** Waiting for its first or next attempt. */
    boolean pending() {
        return attempt == null || attempt.state() == StepState.INTERRUPTED
                || (attempt.state() == StepState.FAILED && notBefore != null);
    }

    boolean concluded() {
        return attempt != null && !running() && !pending();
    }

    boolean succeeded() {
        return attempt != null && attempt.state() == StepState.SUCCEEDED;
    }

    void cancelTimer() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }
}
