package io.orchide.runtime.qemu;

import io.orchide.runtime.LaunchException;
import io.orchide.runtime.StartCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A qemu VM counts as started once qemu greets on its events QMP socket, which with {@code -S} it does only once
 * the machine is built, and the agent resumed it ({@code cont}): the guest runs. A qemu that exits before that (a bad
 * option, a missing file, a KVM failure) never started a guest, whatever its status. The connection then stays
 * open with a {@link HypervisorWatch} for the life of the VM.
 */
final class QmpStart implements StartCheck {
    /** How long qemu may take from exec to a QMP greeting (it reads and loads the images first). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(QmpStart.class.getName());

    @Override
    public void awaitStarted(Path runDir, Path console, BooleanSupplier monitorEnded) throws LaunchException {
        Path socket = QmpSocket.events(runDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        QmpClient qmp = null;
        String lastProblem = "its QMP socket never appeared";
        while (qmp == null) {
            if (monitorEnded.getAsBoolean())
                throw new LaunchException(null, null, "qemu exited before the VM started");
            if (Files.exists(socket)) {
                try {
                    qmp = QmpClient.connect(socket, QemuDriver.QMP_TIMEOUT);
                    break;
                } catch (IOException e) {
                    lastProblem = e.getMessage(); // not listening yet, or going away: the loop tells which
                }
            }
            if (System.nanoTime() > deadline)
                throw new LaunchException(null, null, "qemu did not start the VM within " + START_TIMEOUT.toSeconds()
                        + " s (" + lastProblem + ")");
            pause();
        }
        // The greeting proves the machine was built (with -S qemu serves QMP only after that). Once cont is sent
        // the guest runs: a short one can end, and qemu close the socket, before the answer comes back.
        try {
            qmp.execute("cont");
        } catch (QmpClient.QmpException e) {
            close(qmp);
            throw new LaunchException(null, null, "qemu refused to start the VM: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: no answer to cont ({1}): the guest ran and ended already",
                    runDir, e.getMessage());
            close(qmp);
            return;
        }
        HypervisorWatch.start(runDir, qmp);
    }

    /** For a VM the agent re-adopted: resumes it if it was left paused before it ever ran, and watches it again. */
    static void readopt(Path runDir) {
        try {
            QmpClient qmp = QmpClient.connect(QmpSocket.events(runDir), QemuDriver.QMP_TIMEOUT);
            try {
                if ("prelaunch".equals(HypervisorWatch.status(qmp.execute("query-status")))) qmp.execute("cont");
            } catch (IOException e) {
                close(qmp);
                throw e;
            }
            HypervisorWatch.start(runDir, qmp);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot watch re-adopted VM {0}: {1}", runDir, e.getMessage());
        }
    }

    // The socket is created during qemu's start-up: a short wait between attempts, bounded by START_TIMEOUT.
    private static void pause() throws LaunchException {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for qemu to start");
        }
    }

    private static void close(QmpClient qmp) {
        try {
            qmp.close();
        } catch (IOException e) {
            // closing a connection qemu already dropped
        }
    }
}
