package io.orchide.node.pipeline.run;

import io.orchide.model.Pipeline;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.workspace.RunWorkspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A run the engine is running: its pipeline version, workspace, reservation and step instances. Engine thread only. */
final class ActiveRun {
    /** Why the engine is ending a run before its steps are done. */
    enum Ending { NONE, CANCEL, PREEMPT, EXPIRE }

    PipelineRun run;
    final Pipeline pipeline;
    final List<io.orchide.model.Step> order;
    final RunWorkspace ws;
    final Amount holds;
    final int dispatchPriority;
    final Map<String, StepResult> results = new LinkedHashMap<>();
    final Map<String, List<Instance>> instances = new HashMap<>();
    Ending ending = Ending.NONE;
    String endingReason;

    ActiveRun(PipelineRun run, Pipeline pipeline, RunWorkspace ws, Amount holds, int dispatchPriority) {
        this.run = run;
        this.pipeline = pipeline;
        this.order = pipeline.topologicalOrder();
        this.ws = ws;
        this.holds = holds;
        this.dispatchPriority = dispatchPriority;
    }

    String name() {
        return run.name();
    }

    List<Instance> all() {
        List<Instance> out = new ArrayList<>();
        instances.values().forEach(out::addAll);
        return out;
    }

    List<Instance> running() {
        return all().stream().filter(Instance::running).toList();
    }

    /** What the running instances hold together. */
    Amount inUse() {
        Amount a = Amount.ZERO;
        for (Instance i : running()) a = a.plus(i.need);
        return a;
    }

    Set<String> succeeded() {
        return results.values().stream().filter(r -> r.state() == StepState.SUCCEEDED).map(StepResult::step)
                .collect(Collectors.toSet());
    }

    /** Exit codes the {@code when} conditions read: those of ended steps without forEach. */
    Map<String, Integer> exitCodes() {
        Map<String, Integer> codes = new HashMap<>();
        for (var e : instances.entrySet()) {
            List<Instance> l = e.getValue();
            if (l.size() == 1 && l.get(0).item == null && l.get(0).concluded() && l.get(0).attempt.exitCode() != null)
                codes.put(e.getKey(), l.get(0).attempt.exitCode());
        }
        return codes;
    }

    /** When the earliest retry of an instance waiting for its backoff is due; null when none waits. */
    java.time.Instant nextRetry() {
        java.time.Instant next = null;
        for (Instance i : all()) {
            if (i.pending() && i.notBefore != null && (next == null || i.notBefore.isBefore(next))) next = i.notBefore;
        }
        return next;
    }

    /** Why the run failed: the first step that failed, with its message; null when none failed. */
    String failure() {
        return results.values().stream().filter(r -> r.state() == StepState.FAILED)
                .map(r -> "step " + r.step() + " failed" + (r.message() == null ? "" : ": " + r.message()))
                .findFirst().orElse(null);
    }

    /** The steps running now, in pipeline order. */
    List<String> runningSteps() {
        return pipeline.spec().steps().stream().map(s -> s.name())
                .filter(n -> instances.getOrDefault(n, List.of()).stream().anyMatch(Instance::running)).toList();
    }
}
