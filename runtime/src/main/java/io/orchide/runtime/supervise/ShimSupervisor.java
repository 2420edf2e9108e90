package io.orchide.runtime.supervise;

import io.orchide.runtime.ExitCause;
import io.orchide.runtime.ExitListener;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.Supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link Supervisor} over the native {@code orchide-shim}: each monitor runs under its own shim (a session leader
 * that outlives the agent), started through the long-lived {@link ShimSpawner}; exits are learned from the shim's
 * {@code exit} file through one shared watcher.
 */
public final class ShimSupervisor implements Supervisor {
    /** How long the shim may take to report that the monitor is exec'd. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** How long a monitor that failed its start check may take to have its exit recorded, for its last output. */
    private static final Duration EXIT_FILE_WAIT = Duration.ofSeconds(2);
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    private final RuntimeConfig config;
    private final Clock clock;
    private final ExitWatcher watcher;
    private final ShimSpawner spawner;

    public ShimSupervisor(RuntimeConfig config, ExitListener listener) {
        this(config, listener, Clock.systemUTC());
    }

    public ShimSupervisor(RuntimeConfig config, ExitListener listener, Clock clock) {
        if (config.shim() == null) throw new IllegalArgumentException("RuntimeConfig.shim is required");
        this.config = config;
        this.clock = clock;
        this.watcher = new ExitWatcher(listener, clock);
        this.spawner = new ShimSpawner(config.shim());
    }

    @Override
    public RunningWorkload start(Launch launch, Path runDir, Path console) throws LaunchException {
        if (launch.command().isEmpty()) throw new LaunchException("launch.command", "[]", "is empty");
        try {
            Files.createDirectories(runDir);
            if (PidFile.exists(runDir) || ExitFile.exists(runDir)) {
                throw new LaunchException("runDir", runDir.toString(), "already holds a run (pid or exit file)");
            }
            Files.deleteIfExists(runDir.resolve(ExitCause.NAME)); // a cause belongs to the run it was recorded for
            Files.createDirectories(console.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new LaunchException("runDir", runDir.toString(), "cannot prepare: " + e.getMessage(), e);
        }
        ShimSpawner.Answer answer;
        try {
            answer = spawner.spawn(new ShimSpawner.Request(runDir, console, config.logMaxBytes(), launch.env(),
                    launch.command()), START_TIMEOUT);
        } catch (ShimSpawner.SpawnException e) {
            endShim(e.shimPid(), runDir);
            throw new LaunchException(null, null, e.getMessage() + consoleText(console), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OrphanShims.kill(runDir);
            throw new LaunchException("interrupted while starting");
        }
        String line = answer.line();
        // When the monitor was exec'd: the start check may outlast a guest that ends at once, whose exit is later.
        Instant execed = clock.instant();
        if (line == null || !line.startsWith("ready ")) {
            throw new LaunchException("launch.command", launch.command().getFirst(),
                    "monitor did not start: " + ConsoleRing.text(console, 20));
        }
        PidFile pid;
        try {
            pid = PidFile.read(runDir).orElseThrow(() -> new IOException("no pid file after ready"));
        } catch (IOException e) {
            throw new LaunchException("runDir", runDir.toString(), "cannot read the shim's pid file: " + e.getMessage(), e);
        }
        // Not watched before it counts as started: a monitor that ends first is a launch failure, not an exit.
        awaitStarted(launch, runDir, console, pid);
        try {
            watcher.watch(runDir);
            return new RunningWorkload(runDir, pid.shimPid(), pid.monitorPid(), execed);
        } catch (IOException e) {
            throw new LaunchException("runDir", runDir.toString(), "cannot watch run: " + e.getMessage(), e);
        }
    }

    private static void awaitStarted(Launch launch, Path runDir, Path console, PidFile pid) throws LaunchException {
        try {
            // The shim records the exit once it has drained the monitor's output: then the console is complete.
            launch.startCheck().awaitStarted(runDir, console, () -> ExitFile.exists(runDir)
                    || !ProcessHandle.of(pid.shimPid()).map(ProcessHandle::isAlive).orElse(false));
        } catch (LaunchException e) {
            if (pid.monitorAlive()) ProcessHandle.of(pid.monitorPid()).ifPresent(ProcessHandle::destroyForcibly);
            awaitExitFile(runDir);
            String output = ConsoleRing.text(console, 20);
            throw new LaunchException(e.field(), e.value(), e.reason()
                    + (output.isEmpty() ? "" : ": " + output), e);
        }
    }

    /** The shim writes the exit file once it has drained the monitor's output into the console. */
    private static void awaitExitFile(Path runDir) {
        long deadline = System.nanoTime() + EXIT_FILE_WAIT.toNanos();
        try {
            while (!ExitFile.exists(runDir) && System.nanoTime() < deadline) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The spawner this supervisor starts its shims through. */
    ShimSpawner spawner() {
        return spawner;
    }

    /** Ends a shim whose launch nobody saw through, with its monitor; found by its run directory when its pid is not known. */
    private static void endShim(long shimPid, Path runDir) {
        if (shimPid > 0) {
            ProcessHandle.of(shimPid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
        OrphanShims.kill(runDir);
    }

    private static String consoleText(Path console) {
        String text = ConsoleRing.text(console, 20);
        return text.isEmpty() ? "" : ": " + text;
    }

    @Override
    public Optional<RunningWorkload> adopt(Path runDir) {
        try {
            if (ExitFile.exists(runDir)) {
                watcher.deliver(runDir, ExitFile.read(runDir));
                return Optional.empty();
            }
            Optional<PidFile> pid = PidFile.read(runDir);
            if (pid.isPresent() && pid.get().monitorAlive()) {
                watcher.watch(runDir); // reports at once if the exit file appeared meanwhile
                if (ExitFile.exists(runDir)) return Optional.empty();
                PidFile p = pid.get();
                return Optional.of(new RunningWorkload(runDir, p.shimPid(), p.monitorPid(),
                        ProcStat.toInstant(p.startTime())));
            }
            if (pid.isPresent() && ShimBinary.FILE_NAME.equals(ProcStat.comm(pid.get().shimPid()))) {
                watcher.watch(runDir); // the monitor ended and its shim is writing the exit file
                return Optional.empty();
            }
            if (ExitFile.exists(runDir)) {
                watcher.deliver(runDir, ExitFile.read(runDir));
            } else {
                // Neither monitor nor shim left anything: the shim itself was killed.
                watcher.deliver(runDir, new RawExit(-1, 0, clock.instant()));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot adopt " + runDir, e);
        }
    }

    @Override
    public void signal(RunningWorkload w, int signal) {
        try {
            Optional<PidFile> pid = PidFile.read(w.dir());
            if (pid.isEmpty() || pid.get().monitorPid() != w.monitorPid() || !pid.get().monitorAlive()) return;
            if (signal == SIGTERM || signal == SIGKILL) {
                ProcessHandle.of(w.monitorPid()).ifPresent(h -> {
                    if (signal == SIGKILL) h.destroyForcibly(); else h.destroy();
                });
                return;
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(w.monitorPid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + w.monitorPid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        spawner.close();
        watcher.close();
    }
}
