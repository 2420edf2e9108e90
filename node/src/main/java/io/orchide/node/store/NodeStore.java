package io.orchide.node.store;

import io.orchide.model.App;
import io.orchide.model.Manifests;
import io.orchide.node.store.RunRecord.RunState;
import io.orchide.node.store.WorkloadRecord.Desired;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Desired workloads, their runs and their state history in the agent's database. Every method commits before
 * it returns (write before acknowledge). Every method holds the connection's lock ({@link Database#lock}): the
 * connection is the agent's shared writer, used by the desired-state ledger too.
 */
public final class NodeStore implements WorkloadHistory {
    private static final int EVENTS_KEPT = 200;
    private static final int PRUNE_EVERY = 50;

    private final Connection c;
    private final Object lock;
    private int eventsSincePrune;
    private volatile Runnable changeListener;

    /** Asks {@code l} to be told after a workload's state history grew (a transition recorded). */
    public void onChange(Runnable l) {
        changeListener = l;
    }

    public NodeStore(Database db) {
        this.c = db.connection();
        this.lock = db.lock();
    }

    public void putWorkload(WorkloadRecord w) {
        synchronized (lock) {
            update("""
                    INSERT INTO workload(name, tenant, spec, desired, generation, created_at, updated_at)
                    VALUES (?,?,?,?,?,?,?)
                    ON CONFLICT(name) DO UPDATE SET tenant=excluded.tenant, spec=excluded.spec,
                      desired=excluded.desired, generation=excluded.generation, updated_at=excluded.updated_at
                    """, w.name(), w.app().metadata().tenant(), Manifests.toJson(w.app()), w.desired().name(),
                    w.generation(), w.createdAt().toEpochMilli(), w.updatedAt().toEpochMilli());
        }
    }

    public Optional<WorkloadRecord> workload(String name) {
        synchronized (lock) {
            List<WorkloadRecord> l = queryWorkloads("SELECT * FROM workload WHERE name=?", name);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
        }
    }

    public List<WorkloadRecord> workloads() {
        synchronized (lock) {
            return queryWorkloads("SELECT * FROM workload ORDER BY name");
        }
    }

    /** Removes the workload with its runs and history. */
    public void deleteWorkload(String name) {
        synchronized (lock) {
            inTransaction(() -> {
                update("DELETE FROM run WHERE workload=?", name);
                update("DELETE FROM event WHERE workload=?", name);
                update("DELETE FROM workload WHERE name=?", name);
            });
        }
    }

    /** Records a run about to be launched, before its monitor exists, and returns it with its id. */
    public RunRecord insertRun(String workload, long generation, int attempt, Path runDir, Instant at) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO run(workload, generation, attempt, run_dir, state, started_at) VALUES (?,?,?,?,?,?)
                    """, java.sql.Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, workload, generation, attempt, runDir.toString(), RunState.STARTING.name(), at.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return new RunRecord(rs.getLong(1), workload, generation, attempt, runDir, RunState.STARTING, at,
                            null, null, null, null, null, null, null, null);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot record run of " + workload, e);
            }
        }
    }

    public void runStarted(long runId, long shimPid, long monitorPid, Instant startedAt) {
        synchronized (lock) {
            update("UPDATE run SET state=?, shim_pid=?, monitor_pid=?, started_at=? WHERE id=?",
                    RunState.RUNNING.name(), shimPid, monitorPid, startedAt.toEpochMilli(), runId);
        }
    }

    /** Records how a run ended; {@code success} is null for a run that was stopped, neither success nor failure. */
    public void runEnded(long runId, RunState state, Instant endedAt, Integer exitCode,
                         Integer exitSignal, Integer guestCode, Boolean success, String reason) {
        synchronized (lock) {
            update("""
                    UPDATE run SET state=?, ended_at=?, exit_code=?, exit_signal=?, guest_code=?, success=?, reason=?
                    WHERE id=?
                    """, state.name(), endedAt.toEpochMilli(), exitCode, exitSignal, guestCode,
                    success == null ? null : success ? 1 : 0, reason, runId);
        }
    }

    public Optional<RunRecord> latestRun(String workload) {
        synchronized (lock) {
            List<RunRecord> l = runs(workload, 1);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
        }
    }

    /** The newest runs first. */
    @Override
    public List<RunRecord> runs(String workload, int limit) {
        synchronized (lock) {
            List<RunRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM run WHERE workload=? ORDER BY id DESC LIMIT ?")) {
                bind(ps, workload, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(run(rs));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read runs of " + workload, e);
            }
            return out;
        }
    }

    /** Number of unsuccessful runs of the workload that ended at or after {@code since}. */
    public int failuresSince(String workload, Instant since) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM run WHERE workload=? AND success=0 AND ended_at>=?")) {
                bind(ps, workload, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.getInt(1);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot count failures of " + workload, e);
            }
        }
    }

    /** Keeps the newest {@code keep} runs of a workload, returns the run directories of the dropped ones. */
    public List<Path> pruneRuns(String workload, int keep) {
        synchronized (lock) {
            List<Path> dropped = new ArrayList<>();
            List<RunRecord> all = runs(workload, Integer.MAX_VALUE);
            for (int i = keep; i < all.size(); i++) {
                RunRecord r = all.get(i);
                if (r.active()) continue;
                update("DELETE FROM run WHERE id=?", r.id());
                dropped.add(r.runDir());
            }
            return dropped;
        }
    }

    public void addEvent(String workload, Instant at, String state, String message) {
        synchronized (lock) {
            update("INSERT INTO event(workload, at, state, message) VALUES (?,?,?,?)",
                    workload, at.toEpochMilli(), state, message);
            Runnable l = changeListener;
            if (l != null) l.run();
            if (++eventsSincePrune >= PRUNE_EVERY) { // bounded history, trimmed now and then rather than on every event
                eventsSincePrune = 0;
                update("DELETE FROM event WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER "
                        + "(PARTITION BY workload ORDER BY id DESC) AS n FROM event) WHERE n > ?)", EVENTS_KEPT);
            }
        }
    }

    /** Runs {@code writes} as one transaction: all of them are stored, or none. */
    public void atomically(Runnable writes) {
        synchronized (lock) {
            inTransaction(writes);
        }
    }

    /** The oldest events first, at most {@code limit} of the newest. */
    @Override
    public List<EventRecord> events(String workload, int limit) {
        synchronized (lock) {
            List<EventRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, state, message FROM event WHERE workload=? ORDER BY id DESC LIMIT ?")) {
                bind(ps, workload, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.addFirst(new EventRecord(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                                rs.getString(3)));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read events of " + workload, e);
            }
            return out;
        }
    }

    private List<WorkloadRecord> queryWorkloads(String sql, Object... args) {
        List<WorkloadRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    App app = Manifests.fromJson(rs.getString("spec"));
                    out.add(new WorkloadRecord(rs.getString("name"), app, Desired.valueOf(rs.getString("desired")),
                            rs.getLong("generation"), Instant.ofEpochMilli(rs.getLong("created_at")),
                            Instant.ofEpochMilli(rs.getLong("updated_at"))));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read workloads", e);
        }
        return out;
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getLong("id"), rs.getString("workload"), rs.getLong("generation"),
                rs.getInt("attempt"), Path.of(rs.getString("run_dir")), RunState.valueOf(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("started_at")), instant(rs, "ended_at"), longOrNull(rs, "shim_pid"),
                longOrNull(rs, "monitor_pid"), intOrNull(rs, "exit_code"), intOrNull(rs, "exit_signal"),
                intOrNull(rs, "guest_code"), boolOrNull(rs, "success"), rs.getString("reason"));
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private static Boolean boolOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v != 0;
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("store update failed: " + sql.strip().split("\\s+", 3)[0], e);
        }
    }

    private void inTransaction(Runnable r) {
        Transactions.inTransaction(c, () -> {
            r.run();
            return null;
        }, "transaction failed");
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) ps.setNull(i + 1, Types.NULL);
            else ps.setObject(i + 1, a);
        }
    }
}
