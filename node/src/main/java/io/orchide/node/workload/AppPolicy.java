package io.orchide.node.workload;

import io.orchide.model.RestartPolicy;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptPolicy;

import java.time.Duration;

/**
 * What follows the end of an App's attempt: an attempt its owner stopped stays stopped (a user's stop is not a
 * failure); any other end goes to the restart policy, with backoff and crash-loop detection.
 */
public record AppPolicy(RestartPolicy restart) implements AttemptPolicy<RestartDecision> {
    @Override
    public RestartDecision after(AttemptEnd end, History history) {
        return switch (end.state()) {
            case STOPPED -> new RestartDecision(false, Duration.ZERO, WorkloadState.STOPPED);
            default -> RestartDecision.after(restart, end.success(), history.failures(), history.recentFailures());
        };
    }
}
