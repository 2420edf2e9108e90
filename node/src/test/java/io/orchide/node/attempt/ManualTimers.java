package io.orchide.node.attempt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** {@link Timers} and their clock for tests: time moves only when {@link #advance} says so; nothing sleeps. */
public final class ManualTimers implements Timers {
    private static final class Task {
        final Instant at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(Instant at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }
    }

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.seq));
    private long seq;
    private final HandClock clock;

    public ManualTimers(Instant start) {
        this.clock = new HandClock(start);
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
        Task t = new Task(clock.instant().plus(delay), seq++, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves the clock by {@code d}, running every timer due on the way in time order at its own instant. */
    public void advance(Duration d) {
        Instant until = clock.instant().plus(d);
        while (!tasks.isEmpty() && !tasks.peek().at.isAfter(until)) {
            Task next = tasks.poll();
            if (next.cancelled) continue;
            if (next.at.isAfter(clock.now)) clock.now = next.at;
            next.run.run();
        }
        clock.now = until;
    }

    /** When the live timers are due, earliest first. */
    public List<Instant> pending() {
        List<Instant> out = new ArrayList<>();
        tasks.stream().filter(t -> !t.cancelled).sorted(tasks.comparator()).forEach(t -> out.add(t.at));
        return out;
    }

    private static final class HandClock extends Clock {
        volatile Instant now;

        HandClock(Instant now) {
            this.now = now;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }
}
