package io.orchide.runtime;

import java.time.Instant;

/**
 * How the monitor process ended, as the shim recorded it: {@code code} is the exit status when it exited,
 * {@code signal} the terminating signal (0 when none). {@code cause} is what the driver side saw end the guest
 * before the monitor exited, when it saw something ({@link ExitCause}: e.g. "hypervisor error: internal-error"
 * when the VM stopped on a KVM internal error and was quit for it), else null. A cause always outranks the status:
 * the monitor's own status then says only how it was made to exit.
 */
public record RawExit(int code, int signal, Instant at, String cause) {
    public RawExit(int code, int signal, Instant at) {
        this(code, signal, at, null);
    }

    public boolean signalled() { return signal != 0; }
}
