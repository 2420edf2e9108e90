package io.orchide.node.pipeline.run;

import io.orchide.model.AcceleratorRequest;
import io.orchide.model.Step;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.runtime.LaunchException;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's accelerators as the run engine sees them: what a queued run may still reserve, and the holding a step's
 * next attempt takes just before it launches. Used on the engine's thread only.
 */
final class StepAccelerators {
    private final AcceleratorPool pool;
    private final StepMonitors monitors;
    private final StepApps stepApps;

    StepAccelerators(AcceleratorPool pool, StepMonitors monitors, StepApps stepApps) {
        this.pool = pool;
        this.monitors = monitors;
        this.stepApps = stepApps;
    }

    /**
     * The accelerators per class a queued run may reserve: the node's, less those workloads hold and those the
     * {@code active} runs reserve. A step's holding counts inside its run's reservation (not beside it), so a run
     * holds its accelerators from its start to its end, as it holds its compute, and two runs needing the node's only
     * GPU are never active at once.
     */
    Map<String, Integer> free(Collection<ActiveRun> active) {
        Path steps = monitors.runsDir().toAbsolutePath();
        Map<String, Integer> free = new TreeMap<>(pool.classes());
        pool.heldByClass(h -> !Path.of(h.holder()).startsWith(steps)).forEach((cls, n) -> free.merge(cls, -n, Integer::sum));
        for (ActiveRun ar : active) ar.holds.accelerators().forEach((cls, n) -> free.merge(cls, -n, Integer::sum));
        return free;
    }

    /**
     * Takes the accelerators the instance's next attempt asks for, before it launches: false when too few are free
     * now, and the instance waits (the engine looks again when some are given back). A request the node can never
     * satisfy, or an App that is gone, goes on to the launch, which fails naming it.
     */
    boolean take(ActiveRun ar, Step step, Instance inst) {
        List<AcceleratorRequest> asked = stepApps.base(step).map(s -> s.resources().accelerators()).orElse(List.of());
        if (asked.isEmpty()) return true;
        int attemptNo = inst.attempt == null ? 1 : inst.attempt.attempt() + 1;
        Path runDir = monitors.runDir(ar.name(), step.name(), inst.item, attemptNo).toAbsolutePath();
        try {
            return pool.tryAssign(runDir.toString(), StepApps.instanceName(ar.name(), step.name(), inst.item), asked)
                    .isPresent();
        } catch (LaunchException e) {
            return true;
        }
    }
}
