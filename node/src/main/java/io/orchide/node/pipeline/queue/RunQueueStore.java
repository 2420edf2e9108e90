package io.orchide.node.pipeline.queue;

import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The queued runs in the agent's database (tables {@code queued_run}, {@code expired_run}). Every method commits
 * before it returns. Methods are synchronized; the connection is the agent's one, so a caller mixing this store with
 * others from several threads serialises them as the agent does.
 */
public final class RunQueueStore {
    private final Connection c;

    public RunQueueStore(Database db) {
        this.c = db.connection();
    }

    public synchronized void insert(QueuedRun r) {
        insertAll(List.of(r));
    }

    /** Inserts the runs in one transaction. */
    public synchronized void insertAll(Collection<QueuedRun> runs) {
        inTransaction(() -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (QueuedRun r : runs) {
                    bind(ps, r);
                    ps.executeUpdate();
                }
            }
        }, "cannot store queued runs");
    }

    /** Inserts the run unless a row for its id is stored already (by a trigger's transaction, say); true if inserted. */
    public synchronized boolean insertIfAbsent(QueuedRun r) {
        try (PreparedStatement ps = c.prepareStatement(INSERT.replaceFirst("INSERT", "INSERT OR IGNORE"))) {
            bind(ps, r);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot store queued run " + r.runId(), e);
        }
    }

    /** Inserts {@code r} through {@code tx}, an open transaction of another connection (not committed here). */
    public static void insert(Connection tx, QueuedRun r) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(INSERT)) {
            bind(ps, r);
            ps.executeUpdate();
        }
    }

    /** Deletes the run; false if it was not stored. */
    public synchronized boolean delete(long runId) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM queued_run WHERE run_id=?")) {
            ps.setLong(1, runId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot delete queued run " + runId, e);
        }
    }

    /** Deletes the expired runs and records why, in one transaction. */
    public synchronized void expired(List<Expiry> expiries) {
        if (expiries.isEmpty()) return;
        inTransaction(() -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM queued_run WHERE run_id=?");
                 PreparedStatement ins = c.prepareStatement("""
                         INSERT OR REPLACE INTO expired_run(run_id, pipeline, priority, deadline, enqueued_at,
                           expired_at, reason) VALUES (?,?,?,?,?,?,?)""")) {
                for (Expiry x : expiries) {
                    QueuedRun r = x.run();
                    del.setLong(1, r.runId());
                    del.executeUpdate();
                    ins.setLong(1, r.runId());
                    ins.setString(2, r.pipeline());
                    ins.setInt(3, r.priority());
                    ins.setLong(4, r.deadline().toEpochMilli());
                    ins.setLong(5, r.enqueuedAt().toEpochMilli());
                    ins.setLong(6, x.at().toEpochMilli());
                    ins.setString(7, x.reason());
                    ins.executeUpdate();
                }
            }
        }, "cannot record expired runs");
    }

    /** The stored queued runs in arrival order. */
    public synchronized List<QueuedRun> load() {
        return loadAfter(Long.MIN_VALUE);
    }

    /** The stored queued runs whose id is greater than {@code runId}, in arrival order. */
    public synchronized List<QueuedRun> loadAfter(long runId) {
        List<QueuedRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM queued_run WHERE run_id > ? ORDER BY seq, run_id")) {
            ps.setLong(1, runId);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                long dl = rs.getLong("deadline");
                Instant deadline = rs.wasNull() ? null : Instant.ofEpochMilli(dl);
                out.add(new QueuedRun(rs.getLong("run_id"), rs.getString("pipeline"), rs.getInt("priority"),
                        deadline, Instant.ofEpochMilli(rs.getLong("enqueued_at")), rs.getLong("seq"),
                        new Amount(rs.getInt("vcpus"), rs.getLong("memory_mib"),
                                parseClasses(rs.getString("accelerator_classes"))),
                        rs.getInt("preemptible") != 0));
            }
            rs.close();
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot load queued runs", e);
        }
    }

    /** The recorded reason a run expired, if it did. */
    public synchronized java.util.Optional<String> expiryReason(long runId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT reason FROM expired_run WHERE run_id=?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the expiry of run " + runId, e);
        }
    }

    private static final String INSERT = """
            INSERT INTO queued_run(run_id, pipeline, priority, deadline, enqueued_at, seq, vcpus, memory_mib,
              accelerators, preemptible, accelerator_classes) VALUES (?,?,?,?,?,?,?,?,?,?,?)""";

    private static void bind(PreparedStatement ps, QueuedRun r) throws SQLException {
        ps.setLong(1, r.runId());
        ps.setString(2, r.pipeline());
        ps.setInt(3, r.priority());
        setInstant(ps, 4, r.deadline());
        ps.setLong(5, r.enqueuedAt().toEpochMilli());
        ps.setLong(6, r.sequence());
        ps.setInt(7, r.need().vcpus());
        ps.setLong(8, r.need().memoryMiB());
        ps.setInt(9, r.need().accelerators().values().stream().mapToInt(Integer::intValue).sum());
        ps.setInt(10, r.preemptible() ? 1 : 0);
        ps.setString(11, formatClasses(r.need().accelerators()));
    }

    static String formatClasses(java.util.Map<String, Integer> classes) {
        StringBuilder s = new StringBuilder();
        classes.forEach((cls, n) -> s.append(s.isEmpty() ? "" : ",").append(cls).append('=').append(n));
        return s.toString();
    }

    static java.util.Map<String, Integer> parseClasses(String text) {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        if (text == null || text.isEmpty()) return out;
        for (String part : text.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) throw new StoreException("accelerator_classes holds '" + text + "', not class=count,...", null);
            try {
                out.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new StoreException("accelerator_classes holds '" + text + "', not class=count,...", e);
            }
        }
        return out;
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, t.toEpochMilli());
    }

    private void inTransaction(SqlWork work, String what) {
        Transactions.inTransaction(c, () -> {
            work.run();
            return null;
        }, what);
    }

    private interface SqlWork {
        void run() throws SQLException;
    }
}
