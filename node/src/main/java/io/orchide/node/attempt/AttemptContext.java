package io.orchide.node.attempt;

import io.orchide.runtime.Supervisor;

import java.time.Clock;
import java.time.Duration;

/**
 * What every attempt of one owner shares: the supervisor (for the last-resort SIGKILL and re-adoption), the owner's
 * timers and clock, how long a kill may take before SIGKILL follows, and where monitors are started.
 */
public record AttemptContext(Supervisor supervisor, Timers timers, Clock clock, Duration killConfirm,
                             Launches launches) {
    public static final Duration KILL_CONFIRM = Duration.ofSeconds(5);

    /** Monitors started at once on the owner's loop. */
    public AttemptContext(Supervisor supervisor, Timers timers, Clock clock) {
        this(supervisor, timers, clock, KILL_CONFIRM, Launches.INLINE);
    }

    public AttemptContext(Supervisor supervisor, Timers timers, Clock clock, Launches launches) {
        this(supervisor, timers, clock, KILL_CONFIRM, launches);
    }
}
