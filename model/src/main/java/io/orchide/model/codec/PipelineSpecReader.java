package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.PipelineSpec;
import io.orchide.model.Step;
import io.orchide.model.Trigger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code spec} of a Pipeline: priority (0..100, default 50), deadline, preemptible (default true),
 * concurrency (1..64, default 1), triggers, steps (1..256); then checks the steps against each other.
 */
final class PipelineSpecReader {
    private PipelineSpecReader() {
    }

    static PipelineSpec read(Cursor c, Arch nodeArch, String pipelineName) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        if (!c.mapping()) return null;
        c.allowOnly("priority", "deadline", "preemptible", "concurrency", "triggers", "steps");
        Integer priority = c.field("priority").integer(0, PipelineSpec.MAX_PRIORITY);
        Duration deadline = c.field("deadline").duration();
        Boolean preemptible = c.field("preemptible").bool();
        Integer concurrency = c.field("concurrency").integer(1, PipelineSpec.MAX_CONCURRENCY);
        List<Trigger> triggers = TriggersReader.read(c.field("triggers"), pipelineName);
        List<Step> steps = steps(c.field("steps"), nodeArch, deadline);
        return new PipelineSpec(priority == null ? PipelineSpec.DEFAULT_PRIORITY : priority, deadline,
                preemptible == null ? PipelineSpec.DEFAULT_PREEMPTIBLE : preemptible,
                concurrency == null ? PipelineSpec.DEFAULT_CONCURRENCY : concurrency, triggers, steps);
    }

    private static List<Step> steps(Cursor c, Arch nodeArch, Duration deadline) {
        if (!c.present()) {
            c.missing();
            return List.of();
        }
        List<Cursor> items = c.items();
        if (items.isEmpty()) {
            if (c.isList()) c.error("must have at least one step");
            return List.of();
        }
        if (items.size() > PipelineSpec.MAX_STEPS) {
            c.error("must have at most " + PipelineSpec.MAX_STEPS + " steps (has " + items.size() + ")");
            return List.of();
        }
        List<StepSite> sites = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            StepSite site = StepReader.read(items.get(i), i, nodeArch);
            if (site != null) sites.add(site);
        }
        new StepGraphChecker(sites).check(deadline);
        return sites.stream().map(s -> s.step).toList();
    }
}
