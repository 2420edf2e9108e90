package io.orchide.node.pipeline.queue;

import java.time.Duration;
import java.time.Instant;

/** A queued run that passed its deadline before it could start, with the reason recorded for it. */
public record Expiry(QueuedRun run, Instant at, String reason) {
    /** The expiry of {@code run} noticed at {@code at}, with the standard reason. */
    public static Expiry of(QueuedRun run, Instant at) {
        return new Expiry(run, at, "deadline " + run.deadline() + " passed before the run could start (queued "
                + Duration.between(run.enqueuedAt(), at) + " at priority " + run.priority() + ", needs "
                + run.need() + ")");
    }
}
