package io.orchide.node.attempt;

import io.orchide.runtime.Supervisor;

import java.time.Clock;
import java.time.Duration;

/**
 * What every attempt of one owner shares: the supervisor (for the last-resort SIGKILL and re-adoption), the owner's
 * timers and clock, and how long a kill may take before SIGKILL follows.
 */
public record AttemptContext(Supervisor supervisor, Timers timers, Clock clock, Duration killConfirm) {
    public static final Duration KILL_CONFIRM = Duration.ofSeconds(5);

    public AttemptContext(Supervisor supervisor, Timers timers, Clock clock) {
        this(supervisor, timers, clock, KILL_CONFIRM);
    }
}
