package io.orchide.node.pipeline.queue;

import java.util.List;

/**
 * Stop {@code victims} (least important first) so that {@code critical} fits: their runs go back to the queue with
 * their partial outputs discarded. {@code freeAfter} is the free amount once they have released what they hold.
 */
public record Preemption(QueuedRun critical, int criticalPriority, List<RunningStep> victims, Amount freeAfter) {
    public Preemption {
        victims = List.copyOf(victims);
    }
}
