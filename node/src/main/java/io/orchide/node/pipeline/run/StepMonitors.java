package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.attempt.AttemptLauncher;
import io.orchide.node.pipeline.workspace.RunWorkspace;
import io.orchide.node.pipeline.workspace.StepMounts;
import io.orchide.node.pipeline.workspace.UnresolvedInputException;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where step attempts run ({@code <runs>/<run>/<step>[.<item>]/<attempt>/}, console beside) and how one is launched
 * for the attempt engine: the run's workspace staged and mounted, the instance's App recorded in its run directory
 * so that an agent started later can take the attempt back.
 */
public final class StepMonitors {
    private static final String STEP_APP = "orchide-step.json";

    private final Path runsDir;
    private final WorkloadLauncher launcher;
    private final StepApps stepApps;

    /** Where dataset inputs are staged from; set once at the start, read on launcher threads. */
    private volatile io.orchide.node.pipeline.workspace.DatasetSource datasets =
            io.orchide.node.pipeline.workspace.DatasetSource.NONE;

    void datasets(io.orchide.node.pipeline.workspace.DatasetSource datasets) {
        this.datasets = datasets;
    }

    StepMonitors(Path runsDir, WorkloadLauncher launcher, StepApps stepApps) {
        this.runsDir = runsDir;
        this.launcher = launcher;
        this.stepApps = stepApps;
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
     * The launcher of the attempts of {@code step} (instance {@code item}) in {@code ar}: preparing one empties its
     * out directory, stages its inputs, records the instance's App in the run directory and lets the driver
     * prepare; an input that is not ready fails the launch as such. Called on the engine's loop; what preparing
     * reads of the run is taken now, because it prepares on a launcher thread.
     */
    AttemptLauncher launcher(ActiveRun ar, Step step, Integer item) {
        String runName = ar.name();
        Pipeline pipeline = ar.pipeline;
        RunWorkspace ws = ar.ws;
        Set<String> succeeded = Set.copyOf(ar.succeeded());
        return new AttemptLauncher() {
            @Override
            public Prepared prepare(Path runDir) throws LaunchException, IOException {
                AppSpec base = stepApps.base(step).orElseThrow(() -> new LaunchException("spec.steps.app",
                        step.app(), "no App named " + step.app() + " on this node"));
                if (item == null) ws.discard(step.name());
                else ws.discard(step.name(), item);
                StepMounts mounts = StepMounts.of(pipeline, step.name(), item, ws, succeeded, datasets);
                App app = StepApps.instance(pipeline, runName, step, item, base, mounts);
                WorkloadLauncher.PreparedRun prepared = launcher.prepare(app, runDir,
                        WorkloadLauncher.Owner.step(pipeline.name(), runName, step.name()));
                Files.writeString(runDir.resolve(STEP_APP), Manifests.toJson(app));
                return () -> launcher.start(prepared, console(runName, step.name(), item));
            }

            @Override
            public Resolved resolve(Path runDir) throws LaunchException {
                App app = readApp(runDir);
                if (app == null) throw new LaunchException("the attempt in " + runDir + " was never launched");
                WorkloadLauncher.ResolvedApp r = launcher.resolve(app);
                return new Resolved(r.app(), r.driver());
            }

            @Override
            public void ended(Path runDir) {
                launcher.release(runDir);
            }

            @Override
            public boolean retriable(Exception e) {
                return !(e instanceof UnresolvedInputException); // a step runs once its producers are done: it stays missing
            }

            @Override
            public String failure(Exception e) {
                if (e instanceof UnresolvedInputException u) return "input not ready: " + u.getMessage();
                return AttemptLauncher.super.failure(e);
            }
        };
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
