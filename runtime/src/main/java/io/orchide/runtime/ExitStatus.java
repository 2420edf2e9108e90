package io.orchide.runtime;

/**
 * A monitor's exit decoded by its driver into what the guest meant.
 *
 * @param raw       what the shim recorded
 * @param guestCode the application's own exit code when the convention lets us know it (isa-debug-exit,
 *                  semihosting, container exit), else null
 * @param success   whether the workload ended successfully (for restart policy OnFailure)
 * @param reason    a human description, e.g. "guest exited 3 via isa-debug-exit", "killed by signal 9", "crashed"
 */
public record ExitStatus(RawExit raw, Integer guestCode, boolean success, String reason) {
    /**
     * What every family's decode answers before its own convention: a cause the driver side recorded (it outranks
     * the status the monitor was then made to exit with), a kill, or an end the shim never recorded. None of them
     * carries a guest's status, so none has a guest code.
     */
    public static java.util.Optional<ExitStatus> beforeConvention(RawExit raw) {
        if (raw.cause() != null) return java.util.Optional.of(new ExitStatus(raw, null, false, raw.cause()));
        if (raw.signalled())
            return java.util.Optional.of(new ExitStatus(raw, null, false, "killed by signal " + raw.signal()));
        if (raw.code() < 0)
            return java.util.Optional.of(new ExitStatus(raw, null, false,
                    "ended without an exit status (the shim that watched it ended first)"));
        return java.util.Optional.empty();
    }
}
