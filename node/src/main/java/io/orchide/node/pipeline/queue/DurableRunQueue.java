package io.orchide.node.pipeline.queue;

import io.orchide.node.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The run queue written through to the agent's database: a change is committed before the call returns, then
 * applied in memory, so a kill -9 at any instant loses no acknowledged run and doubles none. A dispatched run is
 * deleted from {@code queued_run} before {@link #next} returns: the engine records its start next.
 * Thread-safe (one lock).
 */
public final class DurableRunQueue {
    private final RunQueue queue;
    private final RunQueueStore store;
    private final Clock clock;

    private DurableRunQueue(RunQueue queue, RunQueueStore store, Clock clock) {
        this.queue = queue;
        this.store = store;
        this.clock = clock;
    }

    /** Opens the queue stored in {@code db}, restored in the same order (sequence numbers kept). */
    public static DurableRunQueue open(Database db, Clock clock, RunQueueConfig config) {
        RunQueueStore store = new RunQueueStore(db);
        RunQueue q = new RunQueue(clock, config);
        for (QueuedRun r : store.load()) q.restore(r);
        return new DurableRunQueue(q, store, clock);
    }

    /** Stores, then queues the run; nothing changes if it is refused. */
    public synchronized void enqueue(QueuedRun run) {
        queue.check(run);
        store.insert(run);
        queue.enqueue(run);
    }

    /** The sequence number the next arrival should carry. */
    public synchronized long nextSequence() {
        return queue.nextSequence();
    }

    public synchronized Optional<QueuedRun> remove(long runId) {
        store.delete(runId);
        return queue.remove(runId);
    }

    /** Decides the next run (see {@link RunQueue#next}) and deletes it from the store before returning it. */
    public synchronized Optional<Dispatch> next(Amount free) {
        return next(free, r -> true);
    }

    /** As {@link #next(Amount)}, among the runs {@code eligible} accepts (see {@link RunQueue#next(Amount, Predicate)}). */
    public synchronized Optional<Dispatch> next(Amount free, Predicate<QueuedRun> eligible) {
        Optional<Dispatch> d = queue.next(free, eligible);
        d.ifPresent(x -> {
            try {
                store.delete(x.run().runId());
            } catch (RuntimeException e) {
                queue.restore(x.run());
                throw e;
            }
        });
        return d;
    }

    public synchronized Optional<QueuedRun> peek(Predicate<QueuedRun> eligible) {
        return queue.peek(eligible);
    }

    /**
     * Queues in memory a run that another connection already stored in {@code queued_run} (a trigger's transaction
     * stores the run and its firing together); a run already queued is left as it is.
     */
    public synchronized void admitStored(QueuedRun run) {
        if (queue.get(run.runId()).isEmpty()) queue.restore(run);
    }

    /**
     * Queues again a run the run store says is queued, as the agent recovers: stored unless a trigger's transaction
     * on another connection stored it already (triggers fire while the agent starts), queued in memory unless it is
     * there already. Not checked again: it was admitted once.
     */
    public synchronized void requeueRecovered(QueuedRun run) {
        store.insertIfAbsent(run);
        admitStored(run);
    }

    /**
     * Puts back at its place a run {@link #next} dispatched that could not start after all (what it counted on was
     * taken meanwhile): stored again and queued with its sequence number.
     */
    public synchronized void putBack(QueuedRun run) {
        store.insertIfAbsent(run);
        admitStored(run);
    }

    /** Queues in memory the runs other connections stored with an id above {@code runId}; returns them. */
    public synchronized List<QueuedRun> admitStoredAfter(long runId) {
        List<QueuedRun> runs = store.loadAfter(runId);
        runs.forEach(this::admitStored);
        return runs;
    }

    /** Takes off the runs past their deadline and records each with its reason, in one transaction. */
    public synchronized List<Expiry> expire() {
        Instant now = clock.instant();
        List<Expiry> out = queue.expire(now).stream().map(r -> Expiry.of(r, now)).toList();
        try {
            store.expired(out);
        } catch (RuntimeException e) {
            out.forEach(x -> queue.restore(x.run()));
            throw e;
        }
        return out;
    }

    public synchronized Optional<QueuedRun> peek() {
        return queue.peek();
    }

    public synchronized Optional<Preemption> preemptionFor(QueuedRun critical, List<RunningStep> running,
                                                           Amount free) {
        return queue.preemptionFor(critical, running, free);
    }

    /** The effective priority (with aging) of a queued run now; empty when it is not queued. */
    public synchronized Optional<Integer> effectivePriority(long runId) {
        return queue.get(runId).map(queue::effectivePriority);
    }

    /** The recorded reason a run expired, if it did. */
    public Optional<String> expiryReason(long runId) {
        return store.expiryReason(runId);
    }

    public synchronized List<QueuedRun> snapshot() {
        return queue.snapshot();
    }

    /** The pipelines that have runs waiting (a copy). */
    public synchronized java.util.Set<String> queuedPipelines() {
        return java.util.Set.copyOf(queue.queuedPipelines());
    }

    public synchronized int size() {
        return queue.size();
    }
}
