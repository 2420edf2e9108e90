package io.orchide.node.pipeline.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The node's queue of waiting pipeline runs, in memory. Not thread-safe: {@link DurableRunQueue} serialises it.
 *
 * <p><b>Order.</b> Effective priority first (higher first), then earliest deadline (none last), then arrival
 * ({@code sequence}). Effective priority = priority + one per aging step boundary crossed since the run was
 * enqueued, capped at 100: {@code min(100, priority + epoch(now) - epoch(enqueuedAt))} with
 * {@code epoch(t) = floor(t / agingStep)}. So all runs with the same {@code priority - epoch(enqueuedAt)} (their
 * <i>class</i>) share one effective priority at any instant, and the order inside a class never changes: the queue
 * keeps one sorted set per class and one for the runs that reached 100. A class moves into the capped set once,
 * when time lifts it to 100; nothing is ever re-sorted, and every operation is O(log n) (amortised). Aging time
 * never goes backwards: it is the latest of the clock and every enqueue seen.
 *
 * <p><b>Admission and backfill.</b> {@link #next} starts the head run if it fits the free amount. If it does not,
 * a less important run among the next {@code backfillWindow} may start ahead of it, but at most {@code maxBypass}
 * times for the same head; after that nothing starts until the head fits (the node drains for it). Run lengths are
 * unknown on board, so a reservation that proves the head is not delayed (EASY backfilling) is not possible; a
 * bounded number of bypasses is the promise instead. A run needing more than {@code nodeCapacity} is refused at
 * enqueue, so a head can always fit once the node is empty.
 */
public final class RunQueue {
    private final Clock clock;
    private final RunQueueConfig config;
    private final long stepMillis;
    private final HashMap<Long, QueuedRun> byId = new HashMap<>();
    private final HashMap<String, Integer> byPipeline = new HashMap<>();
    private final TreeMap<Long, TreeSet<QueuedRun>> classes = new TreeMap<>();
    private final TreeSet<QueuedRun> capped = new TreeSet<>(QueuedRun.BY_DEADLINE_THEN_ARRIVAL);
    private final TreeSet<QueuedRun> byDeadline = new TreeSet<>(QueuedRun.BY_DEADLINE_THEN_ARRIVAL);
    private long epochNow;
    private long maxSequence = -1;
    private long blockedHead = -1;
    private int bypassed;

    public RunQueue(Clock clock, RunQueueConfig config) {
        this.clock = clock;
        this.config = config;
        this.stepMillis = config.agingEnabled() ? config.agingStep().toMillis() : 0;
        this.epochNow = epoch(clock.instant());
    }

    /** Adds a run. Throws IllegalArgumentException for a run id already queued or a need the node never has. */
    public void enqueue(QueuedRun run) {
        check(run);
        add(run);
    }

    /** Puts back a stored run, even one needing more than the node has now (it waits to be removed). */
    void restore(QueuedRun run) {
        if (byId.containsKey(run.runId())) throw new IllegalArgumentException("run already queued: " + run.runId());
        add(run);
    }

    private void add(QueuedRun run) {
        epochNow = Math.max(epochNow, epoch(run.enqueuedAt()));
        advance();
        byId.put(run.runId(), run);
        byPipeline.merge(run.pipeline(), 1, Integer::sum);
        if (classOf(run) + epochNow >= QueuedRun.MAX_PRIORITY) {
            capped.add(run);
        } else {
            classes.computeIfAbsent(classOf(run), k -> new TreeSet<>(QueuedRun.BY_DEADLINE_THEN_ARRIVAL)).add(run);
        }
        if (run.deadline() != null) byDeadline.add(run);
        maxSequence = Math.max(maxSequence, run.sequence());
    }

    /** Throws what {@link #enqueue} would throw for this run, changing nothing. */
    public void check(QueuedRun run) {
        if (byId.containsKey(run.runId())) throw new IllegalArgumentException("run already queued: " + run.runId());
        Amount total = config.nodeCapacity();
        if (total != null && !total.fits(run.need())) {
            throw new IllegalArgumentException("run " + run.runId() + " needs " + run.need()
                    + ", more than the node has: " + total);
        }
    }

    /** Takes the run off the queue; empty if it was not queued. */
    public Optional<QueuedRun> remove(long runId) {
        QueuedRun run = byId.get(runId);
        if (run == null) return Optional.empty();
        advance();
        take(run);
        return Optional.of(run);
    }

    /** The most important waiting run, fitting or not. */
    public Optional<QueuedRun> peek() {
        advance();
        return Optional.ofNullable(head());
    }

    /** Decides which run starts now within {@code free}, and takes it off the queue (see the class comment). */
    public Optional<Dispatch> next(Amount free) {
        return next(free, r -> true);
    }

    /**
     * As {@link #next(Amount)}, among the runs {@code eligible} accepts only (a pipeline at its concurrency cap
     * holds its runs back without blocking the others): the head is the most important eligible run.
     */
    public Optional<Dispatch> next(Amount free, Predicate<QueuedRun> eligible) {
        advance();
        Iterator<QueuedRun> it = inOrder();
        QueuedRun head = firstEligible(it, eligible);
        if (head == null) return Optional.empty();
        if (free.fits(head.need())) {
            blockedHead = -1;
            bypassed = 0;
            return Optional.of(dispatch(head, false, -1));
        }
        if (head.runId() != blockedHead) {
            blockedHead = head.runId();
            bypassed = 0;
        }
        if (bypassed >= config.maxBypass()) return Optional.empty();
        for (int i = 0; i < config.backfillWindow(); i++) {
            QueuedRun r = firstEligible(it, eligible);
            if (r == null) break;
            if (free.fits(r.need())) {
                bypassed++;
                return Optional.of(dispatch(r, true, head.runId()));
            }
        }
        return Optional.empty();
    }

    /** The most important waiting run that {@code eligible} accepts, fitting or not. */
    public Optional<QueuedRun> peek(Predicate<QueuedRun> eligible) {
        advance();
        return Optional.ofNullable(firstEligible(inOrder(), eligible));
    }

    private static QueuedRun firstEligible(Iterator<QueuedRun> it, Predicate<QueuedRun> eligible) {
        while (it.hasNext()) {
            QueuedRun r = it.next();
            if (eligible.test(r)) return r;
        }
        return null;
    }

    /** Takes off and returns, earliest deadline first, the runs whose deadline is before {@code now}. */
    public List<QueuedRun> expire(Instant now) {
        advance();
        List<QueuedRun> out = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadline().isBefore(now)) {
            QueuedRun r = byDeadline.first();
            take(r);
            out.add(r);
        }
        return out;
    }

    /**
     * The least important preemptible running steps, of strictly lower priority than the critical run's effective
     * priority, whose release lets it fit; empty if it fits already or cannot fit even then.
     */
    public Optional<Preemption> preemptionFor(QueuedRun critical, List<RunningStep> running, Amount free) {
        return PreemptionRule.choose(critical, effectivePriority(critical), running, free);
    }

    /** The run's priority with its aging bonus now. */
    public int effectivePriority(QueuedRun run) {
        advance();
        long bonus = Math.max(0, epochNow - epoch(run.enqueuedAt()));
        return (int) Math.min(QueuedRun.MAX_PRIORITY, run.priority() + bonus);
    }

    /** All waiting runs in dispatch order (a copy; O(n)). */
    public List<QueuedRun> snapshot() {
        advance();
        List<QueuedRun> out = new ArrayList<>(byId.size());
        inOrder().forEachRemaining(out::add);
        return out;
    }

    public Optional<QueuedRun> get(long runId) {
        return Optional.ofNullable(byId.get(runId));
    }

    public int size() {
        return byId.size();
    }

    /** The pipelines that have runs waiting (a view; O(1)). */
    public java.util.Set<String> queuedPipelines() {
        return java.util.Collections.unmodifiableSet(byPipeline.keySet());
    }

    /** The sequence number the next arrival should carry. */
    public long nextSequence() {
        return maxSequence + 1;
    }

    private Dispatch dispatch(QueuedRun r, boolean backfill, long heldBack) {
        int eff = effectivePriority(r);
        take(r);
        return new Dispatch(r, eff, backfill, heldBack);
    }

    private void take(QueuedRun run) {
        byId.remove(run.runId());
        byPipeline.computeIfPresent(run.pipeline(), (k, n) -> n == 1 ? null : n - 1);
        if (run.deadline() != null) byDeadline.remove(run);
        if (!capped.remove(run)) {
            long c = classOf(run);
            TreeSet<QueuedRun> set = classes.get(c);
            if (set != null && set.remove(run) && set.isEmpty()) classes.remove(c);
        }
    }

    private QueuedRun head() {
        if (!capped.isEmpty()) return capped.first();
        return classes.isEmpty() ? null : classes.lastEntry().getValue().first();
    }

    /** Moves the classes that time has lifted to 100 into the capped set. */
    private void advance() {
        epochNow = Math.max(epochNow, epoch(clock.instant()));
        long threshold = QueuedRun.MAX_PRIORITY - epochNow;
        while (!classes.isEmpty() && classes.lastKey() >= threshold) capped.addAll(classes.pollLastEntry().getValue());
    }

    private long classOf(QueuedRun run) {
        return run.priority() - epoch(run.enqueuedAt());
    }

    private long epoch(Instant t) {
        return stepMillis == 0 ? 0 : Math.floorDiv(t.toEpochMilli(), stepMillis);
    }

    private Iterator<QueuedRun> inOrder() {
        Iterator<TreeSet<QueuedRun>> sets = classes.descendingMap().values().iterator();
        return new Iterator<>() {
            private Iterator<QueuedRun> current = capped.iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && sets.hasNext()) current = sets.next().iterator();
                return current.hasNext();
            }

            @Override
            public QueuedRun next() {
                if (!hasNext()) throw new NoSuchElementException();
                return current.next();
            }
        };
    }
}
