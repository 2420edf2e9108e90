package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.MessageException;
import io.orchide.model.message.TelemetryBudget;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Housekeeping kept on board until it is queued for ground, in node.db so that it survives a restart: the series
 * dictionary of this node's epoch (and which entries ground was sent), the intervals summarised and not yet sent,
 * the gaps, the log summaries, and a few values (the end of the last interval, the budget). Bounded: past
 * {@code maxIntervals} kept intervals the oldest goes and a gap takes its place, so that weeks without a contact
 * never fill the disk; log summaries are bounded the same way, oldest first.
 */
public final class HousekeepingStore {
    /** A week of one-minute intervals. */
    public static final int MAX_INTERVALS = 7 * 24 * 60;
    public static final int MAX_LOG_SUMMARIES = 2_000;

    private static final Duration ANY = Duration.ofMinutes(1);

    private final Connection c;
    private final Object lock;
    private final int maxIntervals;

    public HousekeepingStore(Database db) {
        this(db, MAX_INTERVALS);
    }

    HousekeepingStore(Database db, int maxIntervals) {
        this.c = db.connection();
        this.lock = db.lock();
        this.maxIntervals = maxIntervals;
    }

    public Optional<String> value(String name) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM housekeeping_state WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read housekeeping value " + name, e);
            }
        }
    }

    public void value(String name, String value) {
        update("INSERT INTO housekeeping_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                name, value);
    }

    /** The settings ground sent last (budget and interval), empty before the first. */
    public Optional<TelemetryBudget> budget() {
        Optional<String> bytes = value("budget");
        Optional<String> version = value("budget_version");
        if (bytes.isEmpty() || version.isEmpty()) return Optional.empty();
        return Optional.of(new TelemetryBudget(Long.parseLong(bytes.get()), Integer.parseInt(version.get()),
                value("interval").map(Long::parseLong).orElse(0L)));
    }

    /** Keeps {@code b} unless a budget as new is held already (a bundle delivered again); returns whether it did. */
    public boolean take(TelemetryBudget b) {
        synchronized (lock) {
            if (budget().map(held -> held.version() >= b.version()).orElse(false)) return false;
            value("budget", Long.toString(b.bytesPerDay()));
            value("interval", Long.toString(b.intervalSeconds()));
            value("budget_version", Integer.toString(b.version()));
            return true;
        }
    }

    /** The index of {@code key}, given it now when it has none. */
    int index(String key, Housekeeping.Kind kind) {
        synchronized (lock) {
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT idx FROM housekeeping_series WHERE key = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) return rs.getInt(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO housekeeping_series (idx, key, kind, sent) "
                        + "SELECT COALESCE(MAX(idx) + 1, 0), ?, ?, 0 FROM housekeeping_series RETURNING idx")) {
                    ps.setString(1, key);
                    ps.setInt(2, kind.ordinal());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot name series " + key, e);
            }
        }
    }

    /** Every series' kind, by index. */
    Map<Integer, Housekeeping.Kind> kinds() {
        Map<Integer, Housekeeping.Kind> out = new HashMap<>();
        for (Housekeeping.Series s : series(false)) out.put(s.index(), s.kind());
        return out;
    }

    /** The dictionary entries ground was not sent yet ({@code unsentOnly}), or all of them. */
    List<Housekeeping.Series> series(boolean unsentOnly) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT idx, key, kind FROM housekeeping_series"
                    + (unsentOnly ? " WHERE sent = 0" : "") + " ORDER BY idx"); ResultSet rs = ps.executeQuery()) {
                List<Housekeeping.Series> out = new ArrayList<>();
                while (rs.next()) out.add(new Housekeeping.Series(rs.getInt(1), rs.getString(2), Housekeeping.Kind.values()[rs.getInt(3)]));
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the housekeeping series", e);
            }
        }
    }

    /**
     * An interval kept, with the {@code width} of one interval when it was summarised ({@link Housekeeping.Interval#width()}
     * counts those): ground may change the width while intervals summarised at the old one wait for a pass.
     */
    record Kept(Duration width, Housekeeping.Interval interval) {
    }

    void addInterval(Housekeeping.Interval i, Duration width) {
        byte[] blob = new Housekeeping("", "", width, List.of(), List.of(i), List.of(), List.of()).encode();
        synchronized (lock) {
            Transactions.inTransaction(c, () -> {
                Sql.update(c, "INSERT OR REPLACE INTO housekeeping_interval (start, width, cells) VALUES (?, ?, ?)",
                        i.start().getEpochSecond(), i.width(), blob);
                long n = Sql.count(c, "SELECT COUNT(*) FROM housekeeping_interval");
                for (long k = n; k > maxIntervals; k--) {
                    long oldest = Sql.count(c, "SELECT MIN(start) FROM housekeeping_interval");
                    Sql.update(c, "DELETE FROM housekeeping_interval WHERE start = ?", oldest);
                    long next = Sql.count(c, "SELECT MIN(start) FROM housekeeping_interval");
                    addGapIn(oldest, next);
                }
                return null;
            }, "cannot keep a housekeeping interval");
        }
    }

    /**
     * The intervals not sent yet, oldest first, with their widths (those kept before widths could change were all
     * summarised at one minute, which their blobs say).
     */
    List<Kept> intervals() {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT cells FROM housekeeping_interval ORDER BY start");
                 ResultSet rs = ps.executeQuery()) {
                List<Kept> out = new ArrayList<>();
                while (rs.next()) {
                    Housekeeping h = Housekeeping.decode(rs.getBytes(1));
                    for (Housekeeping.Interval i : h.intervals()) out.add(new Kept(h.interval(), i));
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the housekeeping intervals", e);
            } catch (MessageException e) {
                throw new StoreException("a kept housekeeping interval does not decode: " + e.getMessage(), null);
            }
        }
    }

    void addGap(Instant from, Instant to) {
        synchronized (lock) {
            Transactions.inTransaction(c, () -> {
                addGapIn(from.getEpochSecond(), to.getEpochSecond());
                return null;
            }, "cannot keep a housekeeping gap");
        }
    }

    private void addGapIn(long from, long to) throws SQLException {
        // a gap that starts where a kept one ends extends it: a long outage stays one gap
        int joined = Sql.update(c, "UPDATE housekeeping_gap SET until = ? WHERE until = ?", to, from);
        if (joined == 0) {
            Sql.update(c, "INSERT OR REPLACE INTO housekeeping_gap (start, until) VALUES (?, MAX(?, COALESCE((SELECT until FROM housekeeping_gap WHERE start = ?), 0)))",
                    from, to, from);
        }
    }

    List<Housekeeping.Gap> gaps() {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT start, until FROM housekeeping_gap ORDER BY start");
                 ResultSet rs = ps.executeQuery()) {
                List<Housekeeping.Gap> out = new ArrayList<>();
                while (rs.next()) out.add(new Housekeeping.Gap(Instant.ofEpochSecond(rs.getLong(1)), Instant.ofEpochSecond(rs.getLong(2))));
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the housekeeping gaps", e);
            }
        }
    }

    void addLogs(List<Housekeeping.LogSummary> logs) {
        if (logs.isEmpty()) return;
        synchronized (lock) {
            Transactions.inTransaction(c, () -> {
                for (Housekeeping.LogSummary l : logs) {
                    Sql.update(c, "INSERT INTO housekeeping_log (errors, summary) VALUES (?, ?)", l.errorLines() > 0 ? 1 : 0,
                            new Housekeeping("", "", ANY, List.of(), List.of(), List.of(), List.of(l)).encode());
                }
                // routine summaries go before those with errors when over the bound
                Sql.update(c, "DELETE FROM housekeeping_log WHERE seq IN (SELECT seq FROM housekeeping_log ORDER BY errors, seq "
                        + "LIMIT MAX(0, (SELECT COUNT(*) FROM housekeeping_log) - ?))", MAX_LOG_SUMMARIES);
                return null;
            }, "cannot keep log summaries");
        }
    }

    /** The log summaries kept, with their sequence numbers, those with errors first. */
    Map<Long, Housekeeping.LogSummary> logs() {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, summary FROM housekeeping_log ORDER BY errors DESC, seq");
                 ResultSet rs = ps.executeQuery()) {
                Map<Long, Housekeeping.LogSummary> out = new java.util.LinkedHashMap<>();
                while (rs.next()) out.put(rs.getLong(1), Housekeeping.decode(rs.getBytes(2)).logs().getFirst());
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the log summaries", e);
            } catch (MessageException e) {
                throw new StoreException("a kept log summary does not decode: " + e.getMessage(), null);
            }
        }
    }

    /** Forgets what a queued bundle carried: the intervals up to {@code until}, those gaps and log summaries. */
    void sent(List<Integer> series, Instant intervalsBefore, List<Housekeeping.Gap> gaps, List<Long> logs) {
        synchronized (lock) {
            Transactions.inTransaction(c, () -> {
                for (int s : series) Sql.update(c, "UPDATE housekeeping_series SET sent = 1 WHERE idx = ?", s);
                if (intervalsBefore != null) Sql.update(c, "DELETE FROM housekeeping_interval WHERE start < ?", intervalsBefore.getEpochSecond());
                for (Housekeeping.Gap g : gaps) Sql.update(c, "DELETE FROM housekeeping_gap WHERE start = ?", g.from().getEpochSecond());
                for (long l : logs) Sql.update(c, "DELETE FROM housekeeping_log WHERE seq = ?", l);
                return null;
            }, "cannot mark housekeeping sent");
        }
    }

    private void update(String sql, Object... args) {
        synchronized (lock) {
            try {
                Sql.update(c, sql, args);
            } catch (SQLException e) {
                throw new StoreException("housekeeping: " + sql, e);
            }
        }
    }

    /** Statement helpers for this store's few queries. */
    private static final class Sql {
        static int update(Connection c, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                return ps.executeUpdate();
            }
        }

        static long count(Connection c, String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
