package io.orchide.node.workload;

import io.orchide.model.RestartPolicy;

import java.time.Duration;

/**
 * What to do after a run ended, from the restart policy: restart after a backoff (possibly as crash-looping),
 * or stay ended as succeeded or failed. Pure, so the rules are tested without processes.
 */
public record RestartDecision(boolean restart, Duration delay, WorkloadState state) {

    /**
     * @param success          whether the run that ended succeeded
     * @param attempt          how many consecutive restarts already happened since the last success or reconfigure
     * @param recentFailures   failures inside the policy's crash-loop window, including this one
     */
    public static RestartDecision after(RestartPolicy policy, boolean success, int attempt, int recentFailures) {
        boolean again = switch (policy.policy()) {
            case NEVER -> false;
            case ON_FAILURE -> !success;
            case ALWAYS -> true;
        };
        if (!again) {
            return new RestartDecision(false, Duration.ZERO, success ? WorkloadState.SUCCEEDED : WorkloadState.FAILED);
        }
        if (!success && recentFailures >= policy.crashLoopLimit()) {
            return new RestartDecision(true, policy.maxBackoff(), WorkloadState.CRASH_LOOP);
        }
        Duration delay = success ? policy.initialBackoff() : policy.backoff(attempt + 1);
        return new RestartDecision(true, delay, WorkloadState.BACK_OFF);
    }
}
