package io.orchide.node.pipeline.trigger;

import java.time.Instant;

/**
 * Runs a task once at an instant of some clock. The agent uses {@link ClockScheduler} (real waiting); the digital
 * twin drives the same triggers with a simulated clock by implementing this interface over its own event loop.
 * A task may run a little early (when the clock was moved forward while waiting) or late: callers check the time.
 */
public interface Scheduler {
    /** Runs {@code task} once at {@code at}, or as soon as possible when {@code at} is not in the future. */
    Handle schedule(Runnable task, Instant at);

    /** A scheduled task that has not run yet can be cancelled; cancelling after it ran does nothing. */
    interface Handle {
        void cancel();
    }
}
