package io.orchide.node.pipeline.run;

import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.Dispatch;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.Preemption;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunningStep;
import io.orchide.node.workload.Capacity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which queued run starts now, and whom to preempt for the most important one: the queue's rule within the node's
 * free compute and accelerators (per class: those the pool has neither given to an attempt nor to an active run's
 * reservation, which the engine claims as it starts the run this returns), each pipeline held to its
 * {@code concurrency}, each run to its tenant's on-board quota (a run that would take its tenant over waits, as one
 * that does not fit the node does). Engine thread only.
 */
final class Admission {
    private final DurableRunQueue queue;
    private final Supplier<Capacity> free;
    private final Supplier<Map<String, Integer>> freeAccelerators;
    private final Function<String, Integer> concurrency;
    private final Predicate<QueuedRun> withinQuota;
    private final Map<String, Integer> activeByPipeline = new HashMap<>();

    Admission(DurableRunQueue queue, Supplier<Capacity> free, Supplier<Map<String, Integer>> freeAccelerators,
              Function<String, Integer> concurrency, Predicate<QueuedRun> withinQuota) {
        this.queue = queue;
        this.free = free;
        this.freeAccelerators = freeAccelerators;
        this.concurrency = concurrency;
        this.withinQuota = withinQuota;
    }

    void started(String pipeline) {
        activeByPipeline.merge(pipeline, 1, Integer::sum);
    }

    void ended(String pipeline) {
        activeByPipeline.merge(pipeline, -1, Integer::sum);
    }

    /** The run to start now, taken off the queue; empty when none may start. */
    Optional<Dispatch> next() {
        return anyEligible() ? queue.next(freeAmount(), this::eligible) : Optional.empty();
    }

    /**
     * The preemption that lets the most important eligible run start, among {@code running} runs not already
     * ending; empty when it fits already or no preemptible run of lower priority would make room.
     */
    Optional<Preemption> preemption(Collection<ActiveRun> running) {
        if (!anyEligible()) return Optional.empty();
        Optional<QueuedRun> head = queue.peek(this::eligible);
        if (head.isEmpty()) return Optional.empty();
        List<RunningStep> steps = new ArrayList<>();
        for (ActiveRun a : running) {
            if (a.ending != ActiveRun.Ending.NONE) continue;
            steps.add(new RunningStep(a.run.id(), String.join(",", a.runningSteps()), a.run.pipeline(),
                    a.dispatchPriority, a.pipeline.spec().preemptible(), a.holds, a.run.startedAt()));
        }
        return queue.preemptionFor(head.get(), steps, freeAmount());
    }

    private Amount freeAmount() {
        Capacity c = free.get();
        Map<String, Integer> accel = new java.util.TreeMap<>();
        freeAccelerators.get().forEach((cls, n) -> accel.put(cls, Math.max(0, n)));
        return new Amount(Math.max(0, c.vcpus()), Math.max(0, c.memoryMiB()), accel);
    }

    /**
     * A run may start unless its pipeline already runs as many runs as its concurrency allows, or it would take its
     * tenant over its quota.
     */
    private boolean eligible(QueuedRun q) {
        return belowCap(q.pipeline()) && withinQuota.test(q);
    }

    private boolean belowCap(String pipeline) {
        return activeByPipeline.getOrDefault(pipeline, 0) < concurrency.apply(pipeline);
    }

    /** Whether some queued run's pipeline is below its cap (else the queue need not be searched at all). */
    private boolean anyEligible() {
        for (String p : queue.queuedPipelines()) if (belowCap(p)) return true;
        return false;
    }
}
