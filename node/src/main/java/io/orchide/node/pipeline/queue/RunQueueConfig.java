package io.orchide.node.pipeline.queue;

import java.time.Duration;

/**
 * How the run queue ages and backfills.
 *
 * @param agingStep      a waiting run gains +1 effective priority per step boundary it waits across (capped at 100);
 *                       null or zero turns aging off
 * @param maxBypass      how many less important runs may start ahead of a head run that does not fit, before the
 *                       queue holds everything back for it (0: strict order, no backfill)
 * @param backfillWindow how many runs behind the head a backfill decision looks at
 * @param nodeCapacity   the most the node can ever give; a run needing more is refused at enqueue (null: no check)
 */
public record RunQueueConfig(Duration agingStep, int maxBypass, int backfillWindow, Amount nodeCapacity) {
    public static final RunQueueConfig DEFAULTS = new RunQueueConfig(Duration.ofMinutes(10), 8, 64, null);

    public RunQueueConfig {
        if (agingStep != null && agingStep.isNegative()) {
            throw new IllegalArgumentException("agingStep must not be negative: " + agingStep);
        }
        if (agingStep != null && !agingStep.isZero() && agingStep.toMillis() < 1) {
            throw new IllegalArgumentException("agingStep must be at least 1 ms: " + agingStep);
        }
        if (maxBypass < 0) throw new IllegalArgumentException("maxBypass must be >= 0: " + maxBypass);
        if (backfillWindow < 0) throw new IllegalArgumentException("backfillWindow must be >= 0: " + backfillWindow);
    }

    public boolean agingEnabled() {
        return agingStep != null && !agingStep.isZero();
    }

    public RunQueueConfig withAgingStep(Duration step) {
        return new RunQueueConfig(step, maxBypass, backfillWindow, nodeCapacity);
    }

    public RunQueueConfig withMaxBypass(int n) {
        return new RunQueueConfig(agingStep, n, backfillWindow, nodeCapacity);
    }

    public RunQueueConfig withNodeCapacity(Amount total) {
        return new RunQueueConfig(agingStep, maxBypass, backfillWindow, total);
    }
}
