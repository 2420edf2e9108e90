package io.orchide.runtime.oci;

import io.orchide.runtime.LaunchException;
import io.orchide.runtime.StartCheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A container counts as started once the OCI runtime wrote its {@code --pid-file}: {@code runc run} and
 * {@code crun run} write it only after the container was created and its process exec'd (they check the
 * executable before that). A runtime that ends without the file never started a container (a rootfs it refuses,
 * an invalid config, an executable that is not there): it exits 1, the same number a container's own
 * {@code exit 1} gives, so its status alone cannot tell the two apart.
 */
final class OciStart implements StartCheck {
    /** The pid file's name in the run directory. */
    static final String PID_FILE = "container.pid";
    /** How long the runtime may take from exec to a started container (it sets up namespaces and cgroups). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String runtime;

    OciStart(String runtime) {
        this.runtime = runtime;
    }

    static Path pidFile(Path runDir) {
        return runDir.toAbsolutePath().resolve(PID_FILE);
    }

    @Override
    public void awaitStarted(Path runDir, Path console, BooleanSupplier monitorEnded) throws LaunchException {
        Path pid = pidFile(runDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            boolean ended = monitorEnded.getAsBoolean(); // before the file: a started container's file is there by then
            if (Files.exists(pid)) return;
            if (ended) throw new LaunchException(null, null, runtime + " exited before the container started");
            if (System.nanoTime() > deadline)
                throw new LaunchException(null, null, runtime + " did not start the container within "
                        + START_TIMEOUT.toSeconds() + " s");
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for " + runtime + " to start the container");
            }
        }
    }
}
