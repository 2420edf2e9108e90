package io.orchide.node.pipeline.run;

import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.workspace.RunWorkspace;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes back what an earlier agent process left in the store, on the engine's loop before its first pump. A run
 * that was running becomes active again with the step results it had (a step that succeeded is never redone); each
 * of its attempts recorded running is re-adopted (its monitor watched again, its exit taken, or, when neither is
 * left, ended as interrupted and run again), and a failed latest attempt is retried as its retries allow. A run
 * dispatched but never started goes back to the queue at its place, or expires when its deadline passed meanwhile.
 */
final class RunRecovery {
    /** What recovery asks of the engine. */
    interface Engine {
        /** Makes {@code ar} one of the engine's active runs, holding its reservation and deadline. */
        void activate(ActiveRun ar);

        /** Whether {@code step} runs in {@code ar}, creating its instances (false: concluded without running). */
        boolean decideToRun(ActiveRun ar, Step step);

        /** The engine's attempt for {@code inst} in {@code runDir}, its exits and news routed to the engine. */
        Attempt attach(ActiveRun ar, Step step, Instance inst, Path runDir);

        /** Records the end of run {@code runId}. */
        void finish(long runId, RunState state, String reason);
    }

    private final PipelineStore store;
    private final DurableRunQueue queue;
    private final StepApps stepApps;
    private final Amount nodeCapacity;
    private final Path workspaces;
    private final Clock clock;

    RunRecovery(PipelineStore store, DurableRunQueue queue, StepApps stepApps, Amount nodeCapacity, Path workspaces,
                Clock clock) {
        this.store = store;
        this.queue = queue;
        this.stepApps = stepApps;
        this.nodeCapacity = nodeCapacity;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    /** Recovers running and dispatched runs; returns the highest run id stored (later ones are new). */
    long recover(Engine engine) {
        for (PipelineRun run : store.runsIn(RunState.RUNNING)) recoverRunning(engine, run);
        Set<Long> queuedNow = queue.snapshot().stream().map(QueuedRun::runId).collect(Collectors.toSet());
        for (PipelineRun run : store.runsIn(RunState.QUEUED)) {
            if (queuedNow.contains(run.id())) continue;
            Pipeline p = store.version(run.versionId());
            // dispatched but not started when the agent died (or expired then): back to the queue
            Optional<String> expired = queue.expiryReason(run.id());
            if (expired.isPresent()) {
                engine.finish(run.id(), RunState.EXPIRED, expired.get());
                continue;
            }
            queue.requeueRecovered(run.queued(stepApps.runNeedOrZero(p, nodeCapacity), p.spec().preemptible()));
        }
        return store.maxRunId();
    }

    private void recoverRunning(Engine engine, PipelineRun run) {
        Pipeline p = store.version(run.versionId());
        Amount need = stepApps.runNeedOrZero(p, nodeCapacity);
        ActiveRun ar = new ActiveRun(run, p, RunWorkspace.open(workspaces, run.name()), need, run.priority());
        ar.results.putAll(store.results(run.id()));
        engine.activate(ar);
        Map<String, List<StepAttempt>> byStep = new LinkedHashMap<>();
        for (StepAttempt a : store.attempts(run.id())) {
            if (!ar.results.containsKey(a.step())) byStep.computeIfAbsent(a.step(), k -> new ArrayList<>()).add(a);
        }
        for (var e : byStep.entrySet()) {
            Step step = p.step(e.getKey()).orElse(null);
            if (step == null || !engine.decideToRun(ar, step)) continue;
            for (Instance inst : ar.instances.get(step.name())) {
                inst.restore(e.getValue(), step.retries(), clock.instant());
                if (inst.running()) readopt(engine, ar, step, inst);
            }
        }
    }

    private static void readopt(Engine engine, ActiveRun ar, Step step, Instance inst) {
        Path dir = inst.attempt.runDir();
        inst.app = StepMonitors.readApp(dir);
        // an exit it reports is handled on the loop after recovery
        engine.attach(ar, step, inst, dir).readopt(inst.attempt.startedAt());
    }
}
