package io.orchide.node.pipeline.run;

import java.time.Instant;

/**
 * How a step of a run concluded: succeeded, failed or skipped; {@code items} is how many forEach instances it had
 * (null without forEach).
 */
public record StepResult(long runId, String step, StepState state, Integer items, String message, Instant at) {
}
