package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.Retries;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.attempt.LaunchedRun;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

    /**
     * Ends the current attempt as failed and decides the next: a retry after the step's backoff while its retries
     * allow ({@link #notBefore}), else none. Returns the ended attempt, to record.
     */
    StepAttempt fail(Integer code, String why, Retries retries, Instant now) {
        failures++;
        boolean retry = failures <= retries.limit();
        Duration delay = retries.delay(failures);
        String msg = retry ? why + "; retry " + failures + " of " + retries.limit() + " in " + delay : why;
        attempt = attempt.ended(StepState.FAILED, code, msg, now);
        notBefore = retry ? now.plus(delay) : null;
        return attempt;
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

    void cancelTimer() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }
}
