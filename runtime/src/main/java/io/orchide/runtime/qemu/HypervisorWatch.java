package io.orchide.runtime.qemu;

import io.orchide.runtime.ExitCause;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds a running VM's events QMP connection and ends the VM when the hypervisor stopped it on an error: a KVM
 * internal error or emulation failure (status {@code internal-error}), a disk error ({@code io-error}), a guest
 * panic ({@code guest-panicked}). qemu keeps such a VM alive and paused forever; the watch records the cause in
 * the run directory ({@link ExitCause}) and quits qemu, so the exit is decoded as failed with that reason. Other
 * stops (a user's QMP {@code stop}) are left alone. Ends when qemu closes the connection.
 */
final class HypervisorWatch implements Runnable {
    /** Run states that only an error leads to, with the cause recorded for each. */
    static final Map<String, String> ERROR_STATES = Map.of(
            "internal-error", "hypervisor error: internal-error (the hypervisor could not run the guest; see the console)",
            "io-error", "hypervisor error: io-error (a disk of the VM failed)",
            "guest-panicked", "guest panicked");
    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");
    private static final System.Logger LOG = System.getLogger(HypervisorWatch.class.getName());

    private final Path runDir;
    private final QmpClient qmp;

    private HypervisorWatch(Path runDir, QmpClient qmp) {
        this.runDir = runDir;
        this.qmp = qmp;
    }

    /** Takes over {@code qmp} (closed when the VM is gone) on a virtual thread. */
    static Thread start(Path runDir, QmpClient qmp) {
        return Thread.ofVirtual().name("orchide-qmp-watch-" + runDir.getFileName()).start(new HypervisorWatch(runDir, qmp));
    }

    @Override
    public void run() {
        try (qmp) {
            // A VM that failed before the watch began is still stopped in its error state.
            if (fail(status(qmp.execute("query-status")))) return;
            while (true) {
                String event = event(qmp.nextMessage());
                if ("GUEST_PANICKED".equals(event) && fail("guest-panicked")) return;
                if ("STOP".equals(event) && fail(status(qmp.execute("query-status")))) return;
            }
        } catch (EOFException e) {
            // qemu exited: nothing left to watch
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "QMP watch of {0} ended: {1}", runDir, e.getMessage());
        }
    }

    /** Records the cause and quits qemu when {@code status} is an error state; false otherwise. */
    private boolean fail(String status) throws IOException {
        String cause = ERROR_STATES.get(status);
        if (cause == null) return false;
        LOG.log(System.Logger.Level.INFO, "{0}: {1}; quitting qemu", runDir, cause);
        ExitCause.write(runDir, cause);
        qmp.quit();
        return true;
    }

    static String event(String message) {
        Matcher m = EVENT.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    static String status(String queryStatusReply) {
        Matcher m = STATUS.matcher(queryStatusReply);
        return m.find() ? m.group(1) : null;
    }
}
