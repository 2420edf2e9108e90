package io.orchide.node.workload;

import io.orchide.model.RestartPolicy;
import io.orchide.model.RestartPolicy.Policy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RestartDecisionTest {
    private static RestartPolicy policy(Policy p) {
        return new RestartPolicy(p, Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofMinutes(10));
    }

    @Test
    void neverLeavesTheWorkloadEndedWithItsOutcome() {
        assertThat(RestartDecision.after(policy(Policy.NEVER), true, 0, 0).state()).isEqualTo(WorkloadState.SUCCEEDED);
        RestartDecision d = RestartDecision.after(policy(Policy.NEVER), false, 0, 1);
        assertThat(d.restart()).isFalse();
        assertThat(d.state()).isEqualTo(WorkloadState.FAILED);
    }

    @Test
    void onFailureRestartsOnlyFailures() {
        assertThat(RestartDecision.after(policy(Policy.ON_FAILURE), true, 0, 0).restart()).isFalse();
        assertThat(RestartDecision.after(policy(Policy.ON_FAILURE), false, 0, 1).restart()).isTrue();
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        RestartPolicy p = policy(Policy.ALWAYS);
        assertThat(RestartDecision.after(p, false, 0, 1).delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartDecision.after(p, false, 1, 2).delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartDecision.after(p, false, 3, 0).delay()).isEqualTo(Duration.ofMillis(800));
        assertThat(RestartDecision.after(p, false, 9, 0).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void tooManyFailuresInTheWindowMeanCrashLoopAtMaximumBackoff() {
        RestartDecision d = RestartDecision.after(policy(Policy.ON_FAILURE), false, 2, 3);
        assertThat(d.state()).isEqualTo(WorkloadState.CRASH_LOOP);
        assertThat(d.restart()).isTrue();
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void alwaysRestartsASuccessWithoutGrowingBackoff() {
        RestartDecision d = RestartDecision.after(policy(Policy.ALWAYS), true, 5, 0);
        assertThat(d.restart()).isTrue();
        assertThat(d.delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.state()).isEqualTo(WorkloadState.BACK_OFF);
    }
}
