package io.orchide.model;

import java.time.Duration;
import java.util.List;

/**
 * How a pipeline runs. {@code priority} (0..100, higher is more important) orders its runs in the node's queue;
 * a run not finished {@code deadline} after it was triggered expires (null: never); {@code preemptible} lets a
 * more important run stop this pipeline's running steps; {@code concurrency} caps its runs at once.
 * Manual runs are always allowed, whatever the {@code triggers}.
 */
public record PipelineSpec(int priority, Duration deadline, boolean preemptible, int concurrency,
                           List<Trigger> triggers, List<Step> steps) {
    public static final int DEFAULT_PRIORITY = 50;
    public static final int MAX_PRIORITY = 100;
    public static final boolean DEFAULT_PREEMPTIBLE = true;
    public static final int DEFAULT_CONCURRENCY = 1;
    public static final int MAX_CONCURRENCY = 64;
    public static final int MAX_STEPS = 256;

    public PipelineSpec {
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A copy with {@code steps} in place of these. */
    public PipelineSpec withSteps(List<Step> steps) {
        return new PipelineSpec(priority, deadline, preemptible, concurrency, triggers, steps);
    }
}
