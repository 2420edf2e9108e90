package io.orchide.node.pipeline.run;

import io.orchide.model.Retries;
import io.orchide.model.codec.Durations;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptState;
import io.orchide.node.attempt.AttemptPolicy;

import java.time.Duration;

/**
 * What follows the end of a step attempt that ran on its own to its end (the run's cancellation, preemption or
 * expiry are the run's business): success concludes the instance; a failure is retried after the step's backoff
 * while its retries allow, except one that another attempt would repeat (an input that does not exist).
 */
public record StepPolicy(Retries retries) implements AttemptPolicy<StepPolicy.Decision> {

    /**
     * @param state   the state the attempt is recorded with
     * @param retryIn when the next attempt may start; null when there is none
     * @param message what the attempt's record says
     */
    public record Decision(StepState state, Duration retryIn, String message) {
    }

    @Override
    public Decision after(AttemptEnd end, History history) {
        if (end.success()) return new Decision(StepState.SUCCEEDED, null, end.reason());
        if (end.state() == AttemptState.REFUSED) return new Decision(StepState.FAILED, null, end.reason());
        int failures = history.failures() + 1;
        if (failures > retries.limit()) return new Decision(StepState.FAILED, null, end.reason());
        Duration delay = retries.delay(failures);
        return new Decision(StepState.FAILED, delay, end.reason() + "; retry " + failures + " of " + retries.limit()
                + " in " + Durations.format(delay));
    }
}
