package io.orchide.node.workload;

import io.orchide.model.RestartPolicy;
import io.orchide.model.RestartPolicy.Policy;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptPolicy.History;
import io.orchide.node.attempt.AttemptState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AppPolicyTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static AppPolicy policy(Policy p) {
        return new AppPolicy(new RestartPolicy(p, Duration.ofSeconds(1), Duration.ofSeconds(30), 3,
                Duration.ofMinutes(10)));
    }

    private static AttemptEnd end(AttemptState s, boolean ok) {
        return new AttemptEnd(s, ok, null, null, "why", T, T);
    }

    @Test
    void aFailureIsRestartedWithDoublingBackoff() {
        RestartDecision d = policy(Policy.ON_FAILURE).after(end(AttemptState.EXITED, false), new History(2, 1));
        assertThat(d.restart()).isTrue();
        assertThat(d.state()).isEqualTo(WorkloadState.BACK_OFF);
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aTimeoutAndALaunchFailureAreFailures() {
        assertThat(policy(Policy.ON_FAILURE).after(end(AttemptState.TIMED_OUT, false), new History(0, 1)).restart())
                .isTrue();
        assertThat(policy(Policy.NEVER).after(end(AttemptState.LAUNCH_FAILED, false), new History(0, 1)).state())
                .isEqualTo(WorkloadState.FAILED);
    }

    @Test
    void tooManyFailuresInTheWindowIsACrashLoop() {
        RestartDecision d = policy(Policy.ALWAYS).after(end(AttemptState.EXITED, false), new History(3, 3));
        assertThat(d.state()).isEqualTo(WorkloadState.CRASH_LOOP);
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aStoppedAttemptStaysStoppedWhateverThePolicy() {
        RestartDecision d = policy(Policy.ALWAYS).after(end(AttemptState.STOPPED, false), new History(0, 0));
        assertThat(d.restart()).isFalse();
        assertThat(d.state()).isEqualTo(WorkloadState.STOPPED);
    }

    @Test
    void aRunToCompletionWorkloadThatSucceededEnds() {
        RestartDecision d = policy(Policy.ON_FAILURE).after(end(AttemptState.EXITED, true), new History(0, 0));
        assertThat(d.restart()).isFalse();
        assertThat(d.state()).isEqualTo(WorkloadState.SUCCEEDED);
    }
}
