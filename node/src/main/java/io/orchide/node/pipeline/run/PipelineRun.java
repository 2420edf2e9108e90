package io.orchide.node.pipeline.run;

import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.QueuedRun;

import java.time.Instant;

/**
 * A run of a pipeline as stored: the pipeline version it runs (a later apply does not change a run already
 * triggered), its priority and deadline, where it came from, and its lifecycle.
 */
public record PipelineRun(long id, String pipeline, long versionId, int priority, Instant deadline, RunOrigin origin,
                          RunState state, String reason, Instant createdAt, Instant startedAt, Instant endedAt) {
    /** The run's name: the pipeline's, a dash and the run id on six digits ({@code cloud-filter-000042}). */
    public String name() {
        return name(pipeline, id);
    }

    /** This run ended in {@code state} at {@code at}. */
    public PipelineRun ended(RunState state, String why, Instant at) {
        return new PipelineRun(id, pipeline, versionId, priority, deadline, origin, state, why, createdAt, startedAt, at);
    }

    /** This run as the queue holds it: arrived when it was triggered, in the order of its id. */
    public QueuedRun queued(Amount need, boolean preemptible) {
        return new QueuedRun(id, pipeline, priority, deadline, createdAt, id, need, preemptible);
    }

    public static String name(String pipeline, long id) {
        return pipeline + "-" + String.format("%06d", id);
    }

    /**
     * The run id in a run name, or -1 if {@code name} is not one.
     */
    public static long idOf(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) return -1;
        String digits = name.substring(dash + 1);
        if (digits.length() < 6 || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) return -1;
        return Long.parseLong(digits);
    }
}
