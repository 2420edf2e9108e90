package io.orchide.node.pipeline.trigger;

import java.sql.Connection;

/**
 * Receives the due times of one schedule subscription, one at a time.
 *
 * <p>As for {@link DataSubscriber}, {@code tx} is an open transaction in which the ledger has already recorded
 * {@code fire}: store the run through it without committing, rolling back or changing auto-commit; the ledger
 * commits both together when this method returns. Throwing rolls both back and the due time is retried after the
 * trigger's retry delay.
 */
@FunctionalInterface
public interface ScheduleSubscriber {
    void onSchedule(ScheduleFire fire, Connection tx) throws Exception;

    /** Called after the transaction of {@link #onSchedule} committed; must not throw or block for long. */
    default void committed(ScheduleFire fire) {
    }
}
