package io.orchide.model.codec;

import io.orchide.model.Condition;
import io.orchide.model.Dag;
import io.orchide.model.DataRef;
import io.orchide.model.Resources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what spans steps, once all are read: unique step names, {@code after} naming known other steps, no
 * cycle, data ({@code from}, {@code forEach.items}, {@code when}) flowing only from ancestors' declared outputs,
 * fan-outs that fit on a node, step timeouts within the pipeline's deadline.
 */
final class StepGraphChecker {
    private final List<StepSite> sites;
    private final Map<String, StepSite> byName = new LinkedHashMap<>();
    private final Map<String, List<String>> graph = new LinkedHashMap<>();

    StepGraphChecker(List<StepSite> sites) {
        this.sites = sites;
    }

    void check(Duration deadline) {
        names();
        after();
        cycles();
        for (StepSite s : sites) {
            Set<String> ancestors = s.name == null ? Set.of() : Dag.ancestors(graph, s.name);
            for (StepSite.Located<DataRef> ref : s.data) data(s, ref, ancestors);
            if (s.when != null) when(s, ancestors);
            fanOut(s);
            if (s.timeout != null && deadline != null && s.timeout.value().compareTo(deadline) > 0) {
                s.timeout.at().error("is longer than spec.deadline (" + Durations.format(deadline)
                        + "); the run would expire first");
            }
        }
    }

    private void names() {
        for (StepSite s : sites) {
            if (s.name == null) continue;
            StepSite first = byName.putIfAbsent(s.name, s);
            if (first != null) s.cursor.field("name").error("duplicates " + first.cursor.field("name").path());
        }
    }

    private void after() {
        byName.values().forEach(s -> graph.put(s.name, new ArrayList<>()));
        for (StepSite s : sites) {
            for (StepSite.Located<String> a : s.after) {
                if (a.value().equals(s.name)) {
                    a.at().error("refers to its own step; a step cannot come after itself");
                } else if (!byName.containsKey(a.value())) {
                    a.at().error("refers to an unknown step; the steps are " + String.join(", ", byName.keySet()));
                } else if (s.name != null && byName.get(s.name) == s) {
                    graph.get(s.name).add(a.value());
                }
            }
        }
    }

    private void cycles() {
        for (List<String> cycle : Dag.cycles(graph)) {
            StepSite last = cycle.stream().map(byName::get).max(Comparator.comparingInt(s -> s.index)).orElseThrow();
            last.afterField.error("cycle " + String.join(" -> ", cycle));
        }
    }

    private void data(StepSite s, StepSite.Located<DataRef> ref, Set<String> ancestors) {
        DataRef r = ref.value();
        boolean isItems = ref.at() == s.forEachItems;
        switch (r.source()) {
            case TRIGGER -> { }
            case ITEM -> {
                if (isItems) ref.at().error("must name the files to fan out over: trigger or steps.<step>.outputs.<output>");
                else if (s.forEachItems == null) ref.at().error("item is the file of a forEach instance, and this step has no forEach");
            }
            case STEP_OUTPUT -> output(s, ref.at(), r.step(), r.output(), ancestors);
            case DATASET -> {
                if (isItems) ref.at().error("must name the files to fan out over: trigger or steps.<step>.outputs.<output>");
            }
        }
    }

    private void when(StepSite s, Set<String> ancestors) {
        for (Condition.Operand ref : s.when.value().references().stream().distinct().toList()) {
            switch (ref) {
                case Condition.ExitCode e -> step(s, s.when.at(), e.step(), ancestors);
                case Condition.Output o -> output(s, s.when.at(), o.step(), o.output(), ancestors);
                default -> { }
            }
        }
    }

    /** Checks a reference to an output of another step; reports at {@code at}. */
    private void output(StepSite s, Cursor at, String step, String output, Set<String> ancestors) {
        if (!step(s, at, step, ancestors)) return;
        StepSite from = byName.get(step);
        if (!from.outputs.contains(output)) {
            at.error("step " + step + " has no output " + output + (from.outputs.isEmpty() ? "; it declares none"
                    : "; its outputs are " + String.join(", ", from.outputs)));
        }
    }

    /** Checks a reference to another step; false (after reporting at {@code at}) when it is not an ancestor. */
    private boolean step(StepSite s, Cursor at, String step, Set<String> ancestors) {
        if (step.equals(s.name)) {
            at.error("refers to its own step " + step + "; only earlier steps' results can be used");
            return false;
        }
        if (!byName.containsKey(step)) {
            at.error("refers to unknown step " + step + "; the steps are " + String.join(", ", byName.keySet()));
            return false;
        }
        if (!ancestors.contains(step)) {
            at.error("refers to step " + step + ", which is not an ancestor of this step; data flows only along "
                    + "after, so add " + step + " to after (directly or through another step)");
            return false;
        }
        return true;
    }

    /** A fan-out whose instances together need more than any node has. */
    private static void fanOut(StepSite s) {
        if (s.parallelism == null || s.resources == null) return;
        long p = s.parallelism.value();
        Resources r = s.resources;
        if (p * r.vcpus() > ResourcesReader.MAX_VCPUS || p * r.memoryMiB() > ResourcesReader.MAX_MEMORY_MIB) {
            s.parallelism.at().error(p + " instances at once need " + p * r.vcpus() + " vcpus and "
                    + p * r.memoryMiB() + " MiB, more than a node has (" + ResourcesReader.MAX_VCPUS + " vcpus, "
                    + ResourcesReader.MAX_MEMORY_MIB + " MiB)");
        }
    }
}
