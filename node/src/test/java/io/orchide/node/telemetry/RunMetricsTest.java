package io.orchide.node.telemetry;

import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.RunOrigin;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.node.pipeline.run.StepState;
import io.orchide.node.pipeline.run.TriggerKind;
import io.orchide.web.telemetry.TextFormat;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Trigger latency and step durations as the engine tells them, in seconds, labelled only by bounded values. */
class RunMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private static PipelineRun run(TriggerKind kind, Instant created, Instant started) {
        return new PipelineRun(42, "cloud-filter", 1, 50, null, new RunOrigin(kind, "scene-0001.raw", Path.of("/d/scene-0001.raw")),
                RunState.RUNNING, null, created, started, null);
    }

    @Test
    void theLatencyFromTriggerToStartAndEachAttemptsDurationAreObservedWithoutRunIdsOrFileNames() {
        RunMetrics m = new RunMetrics();
        m.runStarted(run(TriggerKind.ON_DATA, T0, T0.plusMillis(300)));
        m.runStarted(run(TriggerKind.ON_DATA, T0, T0.plusSeconds(20)));
        PipelineRun r = run(TriggerKind.ON_DATA, T0, T0.plusSeconds(1));
        m.attemptEnded(r, new StepAttempt(42, "classify", null, 1, StepState.FAILED, Path.of("/r"), 1, "exit 1", 7L,
                T0.plusSeconds(1), T0.plusSeconds(4)));
        m.attemptEnded(r, new StepAttempt(42, "classify", null, 2, StepState.SUCCEEDED, Path.of("/r"), 0, null, 8L,
                T0.plusSeconds(5), T0.plusMillis(5_020)));
        m.attemptEnded(r, new StepAttempt(42, "classify", null, 3, StepState.INTERRUPTED, Path.of("/r"), null, null, null,
                null, T0.plusSeconds(9))); // never started: counted, but has no duration

        String text = TextFormat.write(m.collect());
        assertThat(text).contains("orchide_trigger_latency_seconds_bucket{trigger=\"onData\",le=\"0.25\"} 0\n")
                .contains("orchide_trigger_latency_seconds_bucket{trigger=\"onData\",le=\"0.5\"} 1\n")
                .contains("orchide_trigger_latency_seconds_bucket{trigger=\"onData\",le=\"30\"} 2\n")
                .contains("orchide_trigger_latency_seconds_sum{trigger=\"onData\"} 20.3\n")
                .contains("orchide_trigger_latency_seconds_count{trigger=\"onData\"} 2\n")
                .contains("orchide_step_duration_seconds_bucket{pipeline=\"cloud-filter\",state=\"failed\",le=\"2.5\"} 0\n")
                .contains("orchide_step_duration_seconds_bucket{pipeline=\"cloud-filter\",state=\"failed\",le=\"5\"} 1\n")
                .contains("orchide_step_duration_seconds_bucket{pipeline=\"cloud-filter\",state=\"succeeded\",le=\"0.025\"} 1\n")
                .contains("orchide_step_attempts_total{pipeline=\"cloud-filter\",state=\"interrupted\"} 1\n")
                .doesNotContain("scene-0001").doesNotContain("42");
    }
}
