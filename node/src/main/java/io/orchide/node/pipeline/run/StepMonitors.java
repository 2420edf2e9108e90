package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Manifests;
import io.orchide.model.Step;
import io.orchide.node.pipeline.workspace.StepMounts;
import io.orchide.node.attempt.LaunchedRun;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The monitors of step attempts: where they run ({@code <runs>/<run>/<step>[.<item>]/<attempt>/}, console beside),
 * how one is started with the run's workspace mounted, how its exit is decoded, how it is stopped and how one left
 * by an earlier agent is taken back. Used on the engine's thread only.
 */
public final class StepMonitors {
    private static final System.Logger LOG = System.getLogger(StepMonitors.class.getName());
    private static final Duration KILL_CONFIRM = Duration.ofSeconds(5);
    private static final String STEP_APP = "orchide-step.json";

    /** A monitor's end as the step sees it: the driver's reading and the exit code {@code when} reads. */
    record Ending(ExitStatus status, Integer code) {
    }

    private final Path runsDir;
    private final WorkloadLauncher launcher;
    private final Supervisor supervisor;
    private final StepApps stepApps;
    private final EngineThread thread;

    StepMonitors(Path runsDir, WorkloadLauncher launcher, Supervisor supervisor, StepApps stepApps,
                 EngineThread thread) {
        this.runsDir = runsDir;
        this.launcher = launcher;
        this.supervisor = supervisor;
        this.stepApps = stepApps;
        this.thread = thread;
    }

    Path runsDir() {
        return runsDir;
    }

    Path runDir(String runName, String step, Integer item, int attempt) {
        return instanceDir(runName, step, item).resolve(Integer.toString(attempt));
    }

    Path console(String runName, String step, Integer item) {
        return instanceDir(runName, step, item).resolve("console.log");
    }

    private Path instanceDir(String runName, String step, Integer item) {
        return runsDir.resolve(runName).resolve(item == null ? step : step + "." + item);
    }

    /**
     * Starts an attempt of {@code step} (instance {@code item}) in {@code runDir}: empties its out directory, stages
     * its inputs, records the instance's App in the run directory and starts the monitor under the shim.
     *
     * @throws io.orchide.node.pipeline.workspace.UnresolvedInputException when an input is not ready
     */
    LaunchedRun start(ActiveRun ar, Step step, Integer item, Path runDir) throws LaunchException, IOException {
        AppSpec base = stepApps.base(step).orElseThrow(() -> new LaunchException("spec.steps.app", step.app(),
                "no App named " + step.app() + " on this node"));
        if (item == null) ar.ws.discard(step.name());
        else ar.ws.discard(step.name(), item);
        StepMounts mounts = StepMounts.of(ar.pipeline, step.name(), item, ar.ws, ar.succeeded());
        App app = StepApps.instance(ar.pipeline, ar.name(), step, item, base, mounts);
        WorkloadLauncher.PreparedRun prepared = launcher.prepare(app, runDir);
        Files.writeString(runDir.resolve(STEP_APP), Manifests.toJson(app));
        return launcher.start(prepared, console(ar.name(), step.name(), item));
    }

    /** Decodes how the monitor of {@code app} in {@code runDir} ended, and releases what its launch left behind. */
    Ending ended(App app, Path runDir, RawExit raw) {
        ExitStatus status;
        WorkloadLauncher.ResolvedApp resolved = null;
        try {
            resolved = launcher.resolve(app);
            status = resolved.driver().decode(resolved.app(), raw);
        } catch (LaunchException | RuntimeException e) {
            status = new ExitStatus(raw, raw.signalled() ? null : raw.code(), !raw.signalled() && raw.code() == 0,
                    raw.signalled() ? "killed by signal " + raw.signal() : "exited " + raw.code());
        }
        if (resolved != null) {
            try {
                resolved.driver().cleanup(resolved.app(), runDir);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cleanup of " + runDir + " failed: " + e);
            }
        }
        Integer code = status.guestCode() != null ? status.guestCode() : raw.signalled() ? null : raw.code();
        return new Ending(status, code);
    }

    /** Asks the instance's monitor to stop; kills it after the driver's grace period, then by signal. */
    void stop(Instance inst) {
        LaunchedRun l = inst.launched;
        if (l == null) return;
        try {
            l.driver().requestStop(l.resolved(), l.process());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "graceful stop of " + l.process().dir() + " failed: " + e);
        }
        inst.cancelTimer();
        inst.timer = thread.schedule(() -> {
            if (inst.launched != l) return;
            try {
                l.driver().kill(l.resolved(), l.process());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "kill of " + l.process().dir() + " failed: " + e);
            }
            inst.timer = thread.schedule(() -> {
                if (inst.launched == l) supervisor.signal(l.process(), 9);
            }, KILL_CONFIRM);
        }, l.driver().defaultGrace());
    }

    /**
     * Takes back the monitor an earlier agent started in {@code runDir}: the monitor when it still runs; empty when
     * it has ended (its exit is then reported to the listener) or is gone without a recorded exit.
     */
    Optional<LaunchedRun> readopt(Path runDir, App app) {
        if (app == null && !Files.exists(runDir.resolve("exit"))) return Optional.empty();
        Optional<RunningWorkload> alive = supervisor.adopt(runDir); // reports an exit already recorded
        if (alive.isEmpty()) return Optional.empty();
        try {
            WorkloadLauncher.ResolvedApp r = launcher.resolve(app);
            return Optional.of(new LaunchedRun(r.app(), r.driver(), alive.get()));
        } catch (LaunchException e) {
            supervisor.signal(alive.get(), 9);
            return Optional.empty();
        }
    }

    /** The App a step attempt ran, as recorded in its run directory; null when it was never launched. */
    public static App readApp(Path runDir) {
        try {
            return Manifests.fromJson(Files.readString(runDir.resolve(STEP_APP)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
