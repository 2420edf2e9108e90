package io.orchide.node.pipeline.run;

import io.orchide.model.AcceleratorRequest;
import io.orchide.model.Step;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's accelerators as the run engine sees them: what a queued run may still reserve, the reservation a run
 * claims in the pool when it is admitted and drops when it leaves the active runs, and the holding a step's next
 * attempt takes (out of its run's reservation) just before it launches. Used on the engine's thread only.
 */
final class StepAccelerators {
    private static final System.Logger LOG = System.getLogger(StepAccelerators.class.getName());

    private final AcceleratorPool pool;
    private final StepMonitors monitors;
    private final StepApps stepApps;

    StepAccelerators(AcceleratorPool pool, StepMonitors monitors, StepApps stepApps) {
        this.pool = pool;
        this.monitors = monitors;
        this.stepApps = stepApps;
    }

    /**
     * The accelerators per class a queued run may reserve: those neither a holding (of a workload, or of a step beyond
     * its run's reservation) nor a run's reservation claims. An active run that could not reserve (see
     * {@link #reserve}) counts what it needs besides, so two runs needing the node's only GPU are never active at once.
     */
    Map<String, Integer> free(Collection<ActiveRun> active) {
        Map<String, Integer> free = new TreeMap<>(pool.unclaimedByClass());
        for (ActiveRun ar : active) {
            if (pool.reservation(ar.name()).isEmpty()) {
                ar.holds.accelerators().forEach((cls, n) -> free.merge(cls, -n, Integer::sum));
            }
        }
        return free;
    }

    /**
     * Claims the accelerators {@code ar} needs for it, as it is admitted (a run re-adopted after a restart keeps the
     * reservation it had). False when too few are unclaimed now: a workload took one since the queue counted them,
     * and the run must go back to the queue. A reservation that cannot be written is logged and the run goes on
     * without one, its steps taking what is free when they start.
     */
    boolean reserve(String run, Map<String, Integer> perClass) {
        try {
            return pool.reserve(run, perClass);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the accelerators reserved for run " + run + ": "
                    + e.getMessage());
            return true;
        }
    }

    /**
     * Claims again what {@code ar} reserved, as it becomes active (a run re-adopted after a restart whose claim was
     * lost); when too few are unclaimed now it runs on, its steps taking accelerators as they are given back.
     */
    void reserveAgain(ActiveRun ar) {
        if (!reserve(ar.name(), ar.holds.accelerators())) {
            LOG.log(System.Logger.Level.WARNING, "run " + ar.name() + " is running again without its accelerators "
                    + "reserved (" + ar.holds + "): its steps take them as they are given back");
        }
    }

    /** Gives back what run {@code run} reserved: it ended, or went back to the queue. */
    void unreserve(String run) {
        pool.unreserve(run);
    }

    /** Keeps only the reservations of {@code running} runs, as the engine recovers (the others' runs are over). */
    void keepReservations(Set<String> running) {
        pool.keepReservations(running);
    }

    /**
     * Takes the accelerators the instance's next attempt asks for, before it launches, from its run's reservation
     * first: false when too few are free now, and the instance waits (the engine looks again when some are given
     * back). A request the node can never satisfy, or an App that is gone, goes on to the launch, which fails naming
     * it.
     */
    boolean take(ActiveRun ar, Step step, Instance inst) {
        List<AcceleratorRequest> asked = stepApps.base(step).map(s -> s.resources().accelerators()).orElse(List.of());
        if (asked.isEmpty()) return true;
        int attemptNo = inst.attempt == null ? 1 : inst.attempt.attempt() + 1;
        Path runDir = monitors.runDir(ar.name(), step.name(), inst.item, attemptNo).toAbsolutePath();
        try {
            return pool.tryAssign(runDir.toString(), StepApps.instanceName(ar.name(), step.name(), inst.item),
                    ar.name(), asked).isPresent();
        } catch (LaunchException e) {
            return true;
        }
    }
}
