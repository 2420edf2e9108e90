package io.orchide.runtime;

import java.time.Instant;

/**
 * How the monitor process ended, as the shim recorded it: {@code code} is the exit status when it exited,
 * {@code signal} the terminating signal (0 when none).
 */
public record RawExit(int code, int signal, Instant at) {
    public boolean signalled() { return signal != 0; }
}
