package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.Retries;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.pipeline.queue.Amount;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One instance of a step in an active run (the step itself, or one forEach item), as the engine tracks it: its
 * current attempt as stored, how many attempts failed, when it may start again, and the attempt engine's attempt
 * while it runs. Touched only on the engine's thread.
 */
final class Instance {
    final String step;
    final Integer item;
    final Amount need;
    StepAttempt attempt;          // the current (latest) attempt; null before the first
    int failures;                 // failed attempts so far, against the step's retries
    Instant notBefore;            // a retry waits until then
    App app;                      // the App of the running attempt, as resolved for its driver
    Attempt run;                  // the engine's attempt until it ends; null otherwise

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

    /**
     * Takes back this instance's stored attempts after an agent restart: the latest is current, failed ones count
     * against the retries, and a failed latest one is retried now if they allow.
     */
    void restore(List<StepAttempt> stored, Retries retries, Instant now) {
        for (StepAttempt a : stored) {
            if (!Objects.equals(a.item(), item)) continue;
            if (a.state() == StepState.FAILED) failures++;
            if (attempt == null || a.attempt() > attempt.attempt()) attempt = a;
        }
        if (attempt != null && attempt.state() == StepState.FAILED) notBefore = failures <= retries.limit() ? now : null;
    }
}
