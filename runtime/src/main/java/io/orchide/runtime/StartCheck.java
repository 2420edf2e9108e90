package io.orchide.runtime;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * What makes a launched workload count as started, beyond its monitor process being exec'd: for a VM, that the
 * hypervisor accepted the machine and runs it (QMP answered and the guest was resumed). A monitor that ends
 * before that never started: the supervisor reports a {@link LaunchException} with the monitor's own output as the
 * reason, and no exit, so an error of the monitor (qemu's status 1 for a bad option) is never mistaken for what a
 * guest said through the same number.
 */
@FunctionalInterface
public interface StartCheck {
    /** Nothing beyond the exec: processes and containers. */
    StartCheck EXEC = (runDir, console, ended) -> {
    };

    /**
     * Returns once the workload runs. Throws when {@code monitorEnded} turns true first (the message says what
     * was not reached; the supervisor adds the console) or when it is not reached within the check's own bound.
     * {@code monitorEnded} turns true once the monitor's end is recorded, with all its output in {@code console}.
     */
    void awaitStarted(Path runDir, Path console, BooleanSupplier monitorEnded) throws LaunchException;
}
