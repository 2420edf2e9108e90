package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.Step;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptListener;
import io.orchide.node.attempt.AttemptPolicy;
import io.orchide.node.attempt.AttemptState;
import io.orchide.node.dataset.DatasetRefusedException;
import io.orchide.node.pipeline.workspace.StepOutputs;

import java.time.Clock;
import java.time.Instant;

/**
 * What the engine hears of one step attempt, on its loop: records the attempt's life in the store (started, its
 * monitor's pid, how it ended) and decides what its end means for the step instance: the run's cancellation or
 * preemption when the run is ending, interrupted when the agent's restart cut it, else what the step's policy says
 * (a success whose declared outputs are missing, or whose outputs cannot be written into the datasets they name, is
 * a failure), with the next attempt's time while retries allow.
 * What follows for the run is the engine's: it is told through {@link Owner}.
 */
final class StepAttemptListener implements AttemptListener {
    private static final System.Logger LOG = System.getLogger(StepAttemptListener.class.getName());

    /** The engine's side: which runs it still runs, and which of them changed. */
    interface Owner {
        /** The attempt no longer runs in {@code attempt.runDir()}: exits from there are not its any more. */
        void detached(Attempt attempt);

        /** Whether {@code ar} is still one of the engine's active runs (not ended, not requeued). */
        boolean owns(ActiveRun ar);

        /** {@code ar} has news for the engine's next pump. */
        void changed(ActiveRun ar);

        /** An attempt of a step of {@code ar} ended and was recorded as {@code attempt}. */
        void attemptEnded(ActiveRun ar, StepAttempt attempt);
    }

    private final PipelineStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final Owner owner;
    private final ActiveRun ar;
    private final Step step;
    private final Instance inst;

    StepAttemptListener(PipelineStore store, Outbox outbox, Clock clock, Owner owner, ActiveRun ar, Step step,
                        Instance inst) {
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
        this.owner = owner;
        this.ar = ar;
        this.step = step;
        this.inst = inst;
    }

    @Override
    public void starting(Attempt x) {
        store.attemptStarted(inst.attempt); // its monitor starts once the engine's batch commits
    }

    @Override
    public void running(Attempt x, String why) {
        inst.app = x.launched().resolved();
        long pid = x.process().monitorPid();
        if (pid == (inst.attempt.monitorPid() == null ? -1 : inst.attempt.monitorPid())) return;
        store.attemptPid(inst.attempt, pid);
        inst.attempt = inst.attempt.withMonitorPid(pid);
    }

    @Override
    public void timedOut(Attempt x, String why) {
        note(x, why);
    }

    @Override
    public void note(Attempt x, String message) {
        LOG.log(System.Logger.Level.INFO, ar.name() + " step " + step.name() + ": " + message);
    }

    @Override
    public void ended(Attempt x, AttemptEnd end) {
        if (inst.run != x) return;
        inst.run = null;
        owner.detached(x);
        if (!owner.owns(ar)) return;
        owner.changed(ar);
        record(end);
    }

    private void ended() {
        store.attemptEnded(inst.attempt);
        owner.attemptEnded(ar, inst.attempt);
    }

    /** {@code end}, or a failure saying why the step's outputs could not be written into their datasets. */
    private AttemptEnd intoDatasets(AttemptEnd end, StepOutputs outs, App app) {
        try {
            outbox.intoDatasets(ar.run, ar.pipeline.metadata().tenant(), outs, app);
            return end;
        } catch (DatasetRefusedException | java.io.IOException e) {
            return end.failed("outputs not written into their datasets: " + e.getMessage());
        }
    }

    private void record(AttemptEnd end) {
        Instant now = clock.instant();
        Integer code = end.exitCode();
        if (ar.ending != ActiveRun.Ending.NONE) {
            StepState s = ar.ending == ActiveRun.Ending.PREEMPT ? StepState.INTERRUPTED : StepState.CANCELLED;
            inst.attempt = inst.attempt.ended(s, code, ar.endingReason, now);
            ended();
            inst.notBefore = null;
            return;
        }
        if (end.state() == AttemptState.INTERRUPTED) {
            inst.attempt = inst.attempt.ended(StepState.INTERRUPTED, null, end.reason(), now);
            ended();
            return;
        }
        StepOutputs outs = null;
        App app = null;
        if (end.success()) {
            outs = StepOutputs.collect(ar.pipeline, step.name(), inst.item, ar.ws);
            if (!outs.complete()) {
                end = end.failed("declared outputs missing: " + String.join(", ", outs.missing()));
            } else {
                app = inst.app != null ? inst.app : StepMonitors.readApp(inst.attempt.runDir());
                end = intoDatasets(end, outs, app);
            }
        }
        StepPolicy.Decision d = new StepPolicy(step.retries()).after(end, new AttemptPolicy.History(inst.failures, 0));
        if (d.state() == StepState.SUCCEEDED) {
            outbox.put(ar.run, outs.products(), app);
        } else {
            inst.failures++;
        }
        inst.attempt = inst.attempt.ended(d.state(), code, d.message(), now);
        inst.notBefore = d.retryIn() == null ? null : now.plus(d.retryIn());
        ended();
    }
}
