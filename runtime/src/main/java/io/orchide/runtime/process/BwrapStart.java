package io.orchide.runtime.process;

import io.orchide.runtime.LaunchException;
import io.orchide.runtime.StartCheck;
import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.runtime.supervise.PidFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * A sandboxed program counts as started once a process under bwrap runs something other than bwrap: with
 * {@code --unshare-pid} bwrap builds the sandbox, forks, and execs the program in the fork, so a descendant with
 * another executable is the program (or its interpreter). A bwrap that ends before that, saying why on a
 * {@code bwrap: ...} line (a mount it cannot make, an exec that fails), never started the program: it exits 1, the
 * status a program's own {@code exit 1} gives. A program so short that it ended before it was seen started too.
 * Each look reads only bwrap's own processes ({@link ProcessTree}), so a launch costs the same on a machine that
 * runs thousands of other processes.
 */
final class BwrapStart implements StartCheck {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String BWRAP_SAYS = "bwrap: ";

    private final Path bwrap;
    private final ProcessTree processes;

    BwrapStart(Path bwrap, ProcessTree processes) {
        this.bwrap = bwrap;
        this.processes = processes;
    }

    @Override
    public void awaitStarted(Path runDir, Path console, BooleanSupplier monitorEnded) throws LaunchException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        OptionalLong monitor = OptionalLong.empty();
        while (true) {
            boolean ended = monitorEnded.getAsBoolean(); // before the console: an end's output is then all in it
            if (monitor.isEmpty()) monitor = monitorPid(runDir);
            if (monitor.isPresent() && processes.runsOtherThan(monitor.getAsLong(), bwrap)) return;
            if (ended) {
                if (bwrapFailed(console)) throw new LaunchException(null, null, "bwrap exited before the program started");
                return;
            }
            if (System.nanoTime() > deadline)
                throw new LaunchException(null, null, "bwrap did not start the program within "
                        + START_TIMEOUT.toSeconds() + " s");
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for bwrap to start the program");
            }
        }
    }

    /** bwrap's pid, from the shim's pid file (written once, before the shim reports the exec). */
    private static OptionalLong monitorPid(Path runDir) {
        try {
            return PidFile.read(runDir).map(p -> OptionalLong.of(p.monitorPid())).orElse(OptionalLong.empty());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean bwrapFailed(Path console) {
        try {
            List<String> lines = ConsoleRing.tail(console, 50);
            return lines.stream().anyMatch(l -> l.startsWith(BWRAP_SAYS));
        } catch (IOException e) {
            return false;
        }
    }
}
