package io.orchide.node.pipeline.trigger;

import io.orchide.node.store.Database;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

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

    private final Connection c;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock(true);

    private FiredSchedules(Connection c, Clock clock) {
        this.c = c;
        this.clock = clock;
    }

    /** Opens a ledger connection to the file behind {@code db} (already migrated by {@link Database#open}). */
    public static FiredSchedules open(Database db, Clock clock) throws SQLException {
        String url = db.connection().getMetaData().getURL();
        if (url == null || !url.startsWith("jdbc:sqlite:") || url.contains(":memory:") || url.equals("jdbc:sqlite:"))
            throw new SQLException("the fired-schedule ledger needs a database file, not " + url);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return new FiredSchedules(config.createConnection(url), clock);
    }

    /** Registers {@code subscriber} anchored at {@code now} unless it is already known; returns its state. */
    State register(String subscriber, Instant now) throws SQLException {
        lock.lock();
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO fired_schedule(subscriber, anchor_ns) VALUES (?,?)")) {
                ps.setString(1, subscriber);
                ps.setLong(2, nanos(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT anchor_ns, last_due_ns FROM fired_schedule WHERE subscriber=?")) {
                ps.setString(1, subscriber);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Instant anchor = instant(rs.getLong(1));
                    long last = rs.getLong(2);
                    return new State(anchor, rs.wasNull() ? null : instant(last));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fires {@code fire} unless a due time at or after it is already recorded: records it, calls {@code subscriber}
     * in the same transaction, commits. Returns false when refused. A subscriber's exception rolls back and is
     * rethrown.
     */
    boolean fire(ScheduleFire fire, ScheduleSubscriber subscriber) throws Exception {
        lock.lock();
        try {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("UPDATE fired_schedule SET last_due_ns=?, fired_at=?"
                        + " WHERE subscriber=? AND (last_due_ns IS NULL OR last_due_ns < ?)")) {
                    ps.setLong(1, nanos(fire.due()));
                    ps.setLong(2, clock.millis());
                    ps.setString(3, fire.subscriber());
                    ps.setLong(4, nanos(fire.due()));
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                subscriber.onSchedule(fire, c);
                c.commit();
                return true;
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code subscriber} (its pipeline was removed): a later registration starts a new anchor. */
    public void forget(String subscriber) throws SQLException {
        lock.lock();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM fired_schedule WHERE subscriber=?")) {
            ps.setString(1, subscriber);
            ps.executeUpdate();
        } finally {
            lock.unlock();
        }
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            c.close();
        } finally {
            lock.unlock();
        }
    }
}
