package io.orchide.node.pipeline.trigger;

import java.time.Instant;

/**
 * One due time of a schedule handed to its subscriber. {@code catchUp} marks the single fire that stands for a
 * window of missed due times (agent down, clock jumped forward, or a subscriber that failed until the next due
 * time): {@code due} is then the latest due time of that window, and the earlier ones are not fired.
 */
public record ScheduleFire(String subscriber, Instant due, boolean catchUp) {
}
