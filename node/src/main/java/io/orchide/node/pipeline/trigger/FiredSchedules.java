package io.orchide.node.pipeline.trigger;

import io.orchide.node.store.NodeDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * The ledger of schedule subscriptions, table {@code fired_schedule}: per subscriber its anchor (first registration)
 * and the last due time fired. Like {@link FiredFiles} it has its own connection to the database file (WAL,
 * synchronous=FULL, {@code BEGIN IMMEDIATE}) and runs one transaction at a time.
 *
 * <p>{@link #fire} advances the last due time and calls the subscriber in one transaction, committed after the
 * subscriber returned. It refuses a due time not after the one recorded, so that no due time fires twice, even when
 * the clock goes backwards.
 */
public final class FiredSchedules implements AutoCloseable {
    /** What the ledger holds for one subscriber; {@code lastDue} is null until the first fire. */
    record State(Instant anchor, Instant lastDue) {
    }

    private final LedgerConnection ledger;
    private final Clock clock;

    private FiredSchedules(LedgerConnection ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Opens the ledger on a connection of its own from {@code db}. */
    public static FiredSchedules open(NodeDatabase db, Clock clock) throws SQLException {
        return new FiredSchedules(LedgerConnection.open(db, "fired-schedule"), clock);
    }

    /** Registers {@code subscriber} anchored at {@code now} unless it is already known; returns its state. */
    State register(String subscriber, Instant now) throws SQLException {
        return ledger.locked(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO fired_schedule(subscriber, anchor_ns) VALUES (?,?)")) {
                ps.setString(1, subscriber);
                ps.setLong(2, LedgerConnection.nanos(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT anchor_ns, last_due_ns FROM fired_schedule WHERE subscriber=?")) {
                ps.setString(1, subscriber);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Instant anchor = LedgerConnection.instant(rs.getLong(1));
                    long last = rs.getLong(2);
                    return new State(anchor, rs.wasNull() ? null : LedgerConnection.instant(last));
                }
            }
        });
    }

    /**
     * Fires {@code fire} unless a due time at or after it is already recorded: records it, calls {@code subscriber}
     * in the same transaction, commits. Returns false when refused. A subscriber's exception rolls back and is
     * rethrown.
     */
    boolean fire(ScheduleFire fire, ScheduleSubscriber subscriber) throws Exception {
        return ledger.claimAndCall(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fired_schedule SET last_due_ns=?, fired_at=?"
                    + " WHERE subscriber=? AND (last_due_ns IS NULL OR last_due_ns < ?)")) {
                long due = LedgerConnection.nanos(fire.due());
                ps.setLong(1, due);
                ps.setLong(2, clock.millis());
                ps.setString(3, fire.subscriber());
                ps.setLong(4, due);
                return ps.executeUpdate() == 1;
            }
        }, tx -> subscriber.onSchedule(fire, tx));
    }

    /** Forgets {@code subscriber} (its pipeline was removed): a later registration starts a new anchor. */
    public void forget(String subscriber) throws SQLException {
        ledger.locked(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM fired_schedule WHERE subscriber=?")) {
                ps.setString(1, subscriber);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void close() throws SQLException {
        ledger.close();
    }
}
