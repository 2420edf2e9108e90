package io.orchide.node.pipeline.trigger;

import io.orchide.model.time.ScaledClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} over a {@link ScheduledExecutorService}: the delay is computed from the injected
 * {@link Clock} when a task is scheduled, and the task runs on its own virtual thread, so that a slow task delays
 * no other. The wait is measured on the JVM's monotonic timer: if the clock is stepped while waiting, a task
 * runs early (the caller re-arms, see {@link ScheduleTrigger}) or late by the step; set the time (GNSS) before
 * subscribing. Under simulated time ({@link ScaledClock}) the wait is the simulated one divided by the speed.
 */
public final class ClockScheduler implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClockScheduler.class.getName());

    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("orchide-schedule-timer").factory());

    public ClockScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Handle schedule(Runnable task, Instant at) {
        long delay;
        try {
            delay = Math.max(0, ScaledClock.realDelay(clock, Duration.between(clock.instant(), at)).toNanos());
        } catch (ArithmeticException farAway) {
            delay = Long.MAX_VALUE;
        }
        ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name("orchide-schedule-task")
                .start(() -> run(task)), delay, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "scheduled task failed", e);
        }
    }

    /** Drops the tasks not yet due; tasks already running finish on their own threads. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
