package io.orchide.runtime.qemu;

import io.orchide.runtime.Launch;

import java.nio.file.Path;

/** Runs a prepared qemu launch without the shim, as the supervisor would: exec, then its start check. */
final class QemuRun {
    private QemuRun() {
    }

    /** Starts {@code launch} in {@code dir} with its output in {@code dir/console.log}, and resumes the VM. */
    static Process start(Launch launch, Path dir) throws Exception {
        Process p = new ProcessBuilder(launch.command()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile()).start();
        try {
            launch.startCheck().awaitStarted(dir, dir.resolve("console.log"), () -> !p.isAlive());
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }
}
