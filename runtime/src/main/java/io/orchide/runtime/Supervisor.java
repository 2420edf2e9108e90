package io.orchide.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs monitor processes under {@code orchide-shim} so that they outlive the agent: the shim parents the
 * monitor, writes its stdout/stderr into a bounded on-disk console ring, and records the exit status in the
 * run directory. The agent learns of exits from file events on the run directory, never by polling.
 *
 * <p>Files in a run directory: {@code pid} (written by the shim once the monitor is exec'd: shim pid, monitor pid,
 * monitor start time from /proc), {@code exit} (written atomically when the monitor has ended).
 */
public interface Supervisor extends AutoCloseable {

    /**
     * Starts {@code launch} under the shim with {@code runDir} as working directory, console output appended to
     * the ring at {@code console} (bounded by the config's logMaxBytes), and returns once the monitor is exec'd.
     * {@code runDir} must be fresh (no pid or exit file).
     */
    RunningWorkload start(Launch launch, Path runDir, Path console) throws LaunchException;

    /**
     * Re-attaches to a run started by an earlier agent process. If its monitor still runs (pid alive and the
     * recorded start time matches, so a recycled pid is not mistaken for it) it is watched again and returned;
     * if it has ended, its exit is reported to the listener (once per call) and the result is empty.
     */
    Optional<RunningWorkload> adopt(Path runDir);

    /** Sends a POSIX signal number to the monitor process. */
    void signal(RunningWorkload w, int signal);

    @Override
    void close();
}
