package io.orchide.node.pipeline.queue;

import java.time.Instant;

/**
 * A step running on the node as the preemption rule sees it: the priority its run was dispatched with,
 * whether its pipeline lets it be preempted, what it holds, and since when.
 */
public record RunningStep(long runId, String step, String pipeline, int priority, boolean preemptible,
                          Amount holds, Instant startedAt) {
}
