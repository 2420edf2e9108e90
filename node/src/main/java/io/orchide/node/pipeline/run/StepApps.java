package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Metadata;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import io.orchide.model.RestartPolicy;
import io.orchide.model.Step;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.workspace.StepMounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The App each step instance runs: the step's inline template or the App it names (looked up among the node's
 * applied Apps), named after the run, step and item, with the run's workspace mounted and no restart policy of its
 * own (the step's retries decide). Also what a run of a pipeline needs from the node.
 */
public final class StepApps {
    private final Function<String, Optional<App>> apps;

    /** {@code apps} finds an applied App by name. */
    public StepApps(Function<String, Optional<App>> apps) {
        this.apps = apps;
    }

    /** The spec a step runs, before the workspace is added; empty when it names an App the node does not have. */
    public Optional<AppSpec> base(Step step) {
        if (step.template() != null) return Optional.of(step.template());
        return apps.apply(step.app()).map(App::spec);
    }

    /** The instance name: {@code <run>-<step>[-<item>]}. */
    public static String instanceName(String runName, String step, Integer item) {
        return runName + "-" + step + (item == null ? "" : "-" + item);
    }

    /** The App of one instance with its workspace mounts. */
    public static App instance(Pipeline p, String runName, Step step, Integer item, AppSpec base, StepMounts mounts) {
        List<Mount> in = new ArrayList<>(base.inputs());
        in.addAll(mounts.inputs());
        List<Mount> out = new ArrayList<>(base.outputs());
        out.addAll(mounts.outputs());
        Map<String, String> labels = new LinkedHashMap<>(p.metadata().labels() == null ? Map.of() : p.metadata().labels());
        labels.put("orchide.io/pipeline", p.name());
        labels.put("orchide.io/run", runName);
        labels.put("orchide.io/step", step.name());
        AppSpec spec = new AppSpec(base.image(), base.initrd(), base.runtime(), base.args(), base.env(),
                base.resources(), RestartPolicy.DEFAULT, in, out, base.secretEnv(), base.secretMounts(),
                base.models());
        return new App(new Metadata(instanceName(runName, step.name(), item), p.metadata().tenant(), labels), spec);
    }

    /** What one instance of {@code step} holds while it runs; empty when its App is unknown. */
    public Optional<Amount> instanceNeed(Step step) {
        return base(step).map(s -> new Amount(s.resources().vcpus(), s.resources().memoryMiB(),
                Amount.perClass(s.resources().accelerators())));
    }

    /**
     * What a run of {@code p} reserves while it runs: the largest step, a forEach step counted as many instances as
     * run at once ({@link #parallelism}).
     *
     * @throws IllegalArgumentException naming the step whose App is unknown
     */
    public Amount runNeed(Pipeline p, Amount nodeCapacity) {
        return runNeed(p, nodeCapacity, s -> instanceNeed(s).orElseThrow(() -> new IllegalArgumentException(
                "step " + s.name() + " names App " + s.app() + ", which is not applied on this node")));
    }

    /** As {@link #runNeed}, counting a step whose App is no longer applied as needing nothing. */
    public Amount runNeedOrZero(Pipeline p, Amount nodeCapacity) {
        return runNeed(p, nodeCapacity, s -> instanceNeed(s).orElse(Amount.ZERO));
    }

    private static Amount runNeed(Pipeline p, Amount nodeCapacity, Function<Step, Amount> instanceNeed) {
        Amount need = Amount.ZERO;
        for (Step s : p.spec().steps()) {
            Amount one = instanceNeed.apply(s);
            int n = parallelism(s, one, nodeCapacity);
            need = need.max(one.times(n));
        }
        return need;
    }

    /** How many instances of a forEach step run at once: its parallelism, lowered to what the node can ever hold. */
    public static int parallelism(Step s, Amount one, Amount nodeCapacity) {
        if (s.forEach() == null) return 1;
        int n = s.forEach().parallelism();
        if (nodeCapacity != null) {
            if (one.vcpus() > 0) n = Math.min(n, nodeCapacity.vcpus() / one.vcpus());
            if (one.memoryMiB() > 0) n = (int) Math.min(n, nodeCapacity.memoryMiB() / one.memoryMiB());
            for (var e : one.accelerators().entrySet()) {
                if (e.getValue() > 0) n = Math.min(n, nodeCapacity.accelerators(e.getKey()) / e.getValue());
            }
        }
        return Math.max(1, n);
    }
}
