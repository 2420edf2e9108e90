package io.orchide.node.attempt;

import java.time.Duration;

/**
 * The one way the engine and its owners wait: every timer (timeout, grace period, kill confirmation, backoff) is
 * a delay of the injected clock, run on the owner's thread. Tests drive it with a clock they move by hand.
 */
public interface Timers {
    /** Runs {@code task} once {@code delay} of the clock has passed; a cancelled timer never runs. */
    Timer after(Duration delay, Runnable task);

    /** A pending timer. */
    interface Timer {
        void cancel();
    }
}
