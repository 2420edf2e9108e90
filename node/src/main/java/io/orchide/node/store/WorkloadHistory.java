package io.orchide.node.store;

import java.util.List;

/** What a reader may ask of a workload's past: its state history and its runs. Reads only. */
public interface WorkloadHistory {
    /** The oldest events first, at most {@code limit} of the newest. */
    List<EventRecord> events(String workload, int limit);

    /** The newest runs first, at most {@code limit}. */
    List<RunRecord> runs(String workload, int limit);
}
