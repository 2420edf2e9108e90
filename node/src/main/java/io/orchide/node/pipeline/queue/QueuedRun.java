package io.orchide.node.pipeline.queue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * A pipeline run waiting on the node. {@code priority} is the pipeline's (0..100, higher first); {@code deadline}
 * null means never; {@code sequence} is the arrival order, kept across restarts and re-queues. Instants are kept to
 * the millisecond, as they are stored.
 */
public record QueuedRun(long runId, String pipeline, int priority, Instant deadline, Instant enqueuedAt,
                        long sequence, Amount need, boolean preemptible) {
    public static final int MAX_PRIORITY = 100;

    /** Earliest deadline first (none last), then arrival: the order among runs of equal effective priority. */
    static final Comparator<QueuedRun> BY_DEADLINE_THEN_ARRIVAL = (a, b) -> {
        if (a.deadline != b.deadline) {
            if (a.deadline == null) return 1;
            if (b.deadline == null) return -1;
            int c = a.deadline.compareTo(b.deadline);
            if (c != 0) return c;
        }
        int c = Long.compare(a.sequence, b.sequence);
        return c != 0 ? c : Long.compare(a.runId, b.runId);
    };

    public QueuedRun {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be 0..100: " + priority + " (run " + runId + ")");
        }
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException("pipeline name missing: '" + pipeline + "' (run " + runId + ")");
        }
        if (enqueuedAt == null) throw new IllegalArgumentException("enqueuedAt missing (run " + runId + ")");
        if (sequence < 0) throw new IllegalArgumentException("sequence must be >= 0: " + sequence);
        if (need == null || !need.isNonNegative()) {
            throw new IllegalArgumentException("resource need must be non-negative: " + need + " (run " + runId + ")");
        }
        enqueuedAt = enqueuedAt.truncatedTo(ChronoUnit.MILLIS);
        if (deadline != null) deadline = deadline.truncatedTo(ChronoUnit.MILLIS);
    }

    /** This run with another arrival sequence (to re-queue a preempted run at its first place, keep it). */
    public QueuedRun withSequence(long seq) {
        return new QueuedRun(runId, pipeline, priority, deadline, enqueuedAt, seq, need, preemptible);
    }
}
