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
}
