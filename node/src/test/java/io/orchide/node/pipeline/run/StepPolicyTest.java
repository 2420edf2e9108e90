package io.orchide.node.pipeline.run;

import io.orchide.model.Retries;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptPolicy.History;
import io.orchide.node.attempt.AttemptState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StepPolicyTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    final StepPolicy policy = new StepPolicy(new Retries(2, Duration.ofSeconds(5)));

    private static AttemptEnd end(AttemptState s, boolean ok, String why) {
        return new AttemptEnd(s, ok, null, null, why, T, T);
    }

    @Test
    void aSuccessConcludesTheInstance() {
        StepPolicy.Decision d = policy.after(end(AttemptState.EXITED, true, "exited 0"), new History(1, 0));
        assertThat(d.state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(d.retryIn()).isNull();
    }

    @Test
    void aFailureIsRetriedWithItsBackoffWrittenAsManifestsWriteIt() {
        StepPolicy.Decision d = policy.after(end(AttemptState.TIMED_OUT, false, "timed out after 20s"),
                new History(1, 0));
        assertThat(d.state()).isEqualTo(StepState.FAILED);
        assertThat(d.retryIn()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.message()).isEqualTo("timed out after 20s; retry 2 of 2 in 10s");
    }

    @Test
    void retriesExhaustedFailTheInstanceForGood() {
        StepPolicy.Decision d = policy.after(end(AttemptState.EXITED, false, "exited 1"), new History(2, 0));
        assertThat(d.state()).isEqualTo(StepState.FAILED);
        assertThat(d.retryIn()).isNull();
        assertThat(d.message()).isEqualTo("exited 1");
    }

    @Test
    void anInputThatDoesNotExistIsNotRetried() {
        String why = "input not ready: spec.steps[0].inputs[0].from: the run has no trigger file";
        StepPolicy.Decision d = policy.after(end(AttemptState.REFUSED, false, why), new History(0, 0));
        assertThat(d.state()).isEqualTo(StepState.FAILED);
        assertThat(d.retryIn()).isNull();
        assertThat(d.message()).isEqualTo(why);
        assertThat(policy.after(end(AttemptState.LAUNCH_FAILED, false, "launch failed: qemu missing"),
                new History(0, 0)).retryIn()).isNotNull();
    }
}
