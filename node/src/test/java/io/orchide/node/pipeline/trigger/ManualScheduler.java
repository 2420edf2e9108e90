package io.orchide.node.pipeline.trigger;

import io.orchide.testkit.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A {@link Scheduler} and its clock for tests: time moves only when {@link #advanceTo} says so; nothing sleeps. */
final class ManualScheduler implements Scheduler {
    private record Task(Instant at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparing(Task::at).thenComparingLong(Task::seq));
    private long seq;
    final MutableClock clock;

    ManualScheduler(Instant start) {
        this.clock = new MutableClock(start);
    }

    @Override
    public synchronized Handle schedule(Runnable task, Instant at) {
        boolean[] cancelled = {false};
        tasks.add(new Task(at, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due up to {@code t} in time order, moving the clock to each, then to {@code t}. */
    void advanceTo(Instant t) {
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at().isAfter(t)) break;
                tasks.poll();
            }
            if (next.cancelled()[0]) continue;
            if (next.at().isAfter(clock.instant())) clock.set(next.at());
            next.run().run();
        }
        if (t.isAfter(clock.instant())) clock.set(t);
    }

    void advance(Duration d) {
        advanceTo(clock.instant().plus(d));
    }

    /** Runs the tasks already due at the clock's time. */
    void runDue() {
        advanceTo(clock.instant());
    }

    /** The instants of the live tasks, earliest first. */
    synchronized List<Instant> pending() {
        List<Instant> out = new ArrayList<>();
        tasks.stream().filter(t -> !t.cancelled()[0]).sorted(tasks.comparator()).forEach(t -> out.add(t.at()));
        return out;
    }
}
