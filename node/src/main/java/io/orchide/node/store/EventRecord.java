package io.orchide.node.store;

import java.time.Instant;

/** One entry of a workload's state history. */
public record EventRecord(Instant at, String state, String message) {
}
