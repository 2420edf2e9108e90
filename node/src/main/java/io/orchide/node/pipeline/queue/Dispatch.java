package io.orchide.node.pipeline.queue;

/**
 * A decision to start {@code run} now, taken off the queue. {@code backfill} is true when it went ahead of a more
 * important run ({@code heldBack}, else -1) that did not fit.
 */
public record Dispatch(QueuedRun run, int effectivePriority, boolean backfill, long heldBack) {
}
