package io.orchide.node.pipeline.run;

import io.orchide.node.pipeline.queue.Amount;

import java.time.Instant;

/** What a trigger knows of a run it creates, before the run has an id. */
public record NewRun(String pipeline, long versionId, int priority, Instant deadline, RunOrigin origin,
                     Instant createdAt, Amount need, boolean preemptible) {
}
