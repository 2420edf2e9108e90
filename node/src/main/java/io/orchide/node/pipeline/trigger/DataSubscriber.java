package io.orchide.node.pipeline.trigger;

import java.sql.Connection;

/**
 * Receives the files of one subscription. Called on the subscriber's own delivery thread, one file at a time.
 *
 * <p>{@code tx} is an open transaction on the agent's database in which the ledger has already recorded
 * {@code event}; files found complete together share it, one call each. Store what the file starts (the run) through
 * {@code tx}, without committing, rolling back or changing auto-commit: the ledger commits them all together once
 * the calls returned, so that a crash at any instant leaves either both (never fired again) or neither (fired again
 * on restart). Throwing rolls the group back; its files are then fired one by one, and the one that throws again is
 * offered again at the next rescan. Do not write through another connection meanwhile: the transaction holds the
 * database's write lock.
 */
@FunctionalInterface
public interface DataSubscriber {
    void onData(DataEvent event, Connection tx) throws Exception;

    /** Called after the transaction of {@link #onData} committed; must not throw or block for long. */
    default void committed(DataEvent event) {
    }
}
