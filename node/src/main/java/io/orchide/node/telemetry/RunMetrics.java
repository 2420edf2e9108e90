package io.orchide.node.telemetry;

import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.RunObserver;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.web.telemetry.Collector;
import io.orchide.web.telemetry.Counter;
import io.orchide.web.telemetry.Histogram;
import io.orchide.web.telemetry.MetricFamily;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the run engine tells as it goes: the latency from a trigger (the instant it made the run) to the run's start,
 * by trigger kind; each step attempt's duration and end, by pipeline and end state. Pipelines are bounded by desired
 * state, states and trigger kinds by the code.
 */
final class RunMetrics implements RunObserver, Collector {
    private final Histogram triggerLatency = new Histogram("orchide_trigger_latency_seconds",
            "Time from the trigger that made a run (a file, a schedule, an event, a manual start) to the run's start.",
            Histogram.SECONDS, "trigger");
    private final Histogram stepDuration = new Histogram("orchide_step_duration_seconds",
            "Duration of step attempts that ended, by pipeline and how the attempt ended.",
            Histogram.SECONDS, "pipeline", "state");
    private final Counter attempts = new Counter("orchide_step_attempts_total",
            "Step attempts that ended, by pipeline and how they ended.", "pipeline", "state");

    @Override
    public void runStarted(PipelineRun run) {
        if (run.startedAt() == null || run.createdAt() == null) return;
        triggerLatency.observe(seconds(run.createdAt(), run.startedAt()), run.origin().kind().wire());
    }

    @Override
    public void attemptEnded(PipelineRun run, StepAttempt a) {
        attempts.inc(run.pipeline(), a.state().wire());
        if (a.startedAt() != null && a.endedAt() != null) {
            stepDuration.observe(seconds(a.startedAt(), a.endedAt()), run.pipeline(), a.state().wire());
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e9);
    }

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>(triggerLatency.collect());
        out.addAll(stepDuration.collect());
        out.addAll(attempts.collect());
        return out;
    }
}
