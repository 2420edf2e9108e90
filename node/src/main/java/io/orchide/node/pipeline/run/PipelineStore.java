package io.orchide.node.pipeline.run;

import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunQueueStore;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pipelines, runs, step attempts, step results and products in the agent's database, on the connection it is given
 * (the agent makes two: the engine's, and one for readers and product marks; see NodeDatabase). Every method commits
 * before it returns, unless the engine holds a batch open ({@link #beginBatch}); methods are synchronized.
 */
public final class PipelineStore {
    private static final System.Logger LOG = System.getLogger(PipelineStore.class.getName());

    private final Connection c;
    private final ReentrantLock writeGate;
    private volatile Runnable changeListener;
    private final Map<Long, Pipeline> versions = new ConcurrentHashMap<>();

    public PipelineStore(Database db) {
        this.c = db.connection();
        this.writeGate = db.writeGate();
    }

    // ---- pipelines ----

    /** Stores {@code p} as the pipeline's new current version; returns the version id. */
    public synchronized long putPipeline(Pipeline p, Instant now) {
        return inTransaction(() -> {
            long version;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO pipeline_version(name, manifest, created_at) VALUES (?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, p.name());
                ps.setString(2, Manifests.toJson(p));
                ps.setLong(3, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet k = ps.getGeneratedKeys()) {
                    k.next();
                    version = k.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO pipeline(name, version_id, created_at, updated_at) VALUES (?,?,?,?)
                    ON CONFLICT(name) DO UPDATE SET version_id=excluded.version_id, updated_at=excluded.updated_at""")) {
                ps.setString(1, p.name());
                ps.setLong(2, version);
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, now.toEpochMilli());
                ps.executeUpdate();
            }
            versions.put(version, p);
            return version;
        }, "cannot store pipeline " + p.name());
    }

    public synchronized void deletePipeline(String name) {
        update("DELETE FROM pipeline WHERE name=?", "cannot delete pipeline " + name, name);
    }

    public synchronized List<StoredPipeline> pipelines() {
        return queryPipelines("SELECT * FROM pipeline ORDER BY name", null);
    }

    public synchronized Optional<StoredPipeline> pipeline(String name) {
        return queryPipelines("SELECT * FROM pipeline WHERE name=?", name).stream().findFirst();
    }

    /** The pipeline as it was at version {@code id}. */
    public synchronized Pipeline version(long id) {
        Pipeline p = versions.get(id);
        if (p != null) return p;
        try (PreparedStatement ps = c.prepareStatement("SELECT manifest FROM pipeline_version WHERE id=?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new StoreException("no pipeline version " + id, null);
                p = Manifests.pipelineFromJson(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read pipeline version " + id, e);
        }
        versions.put(id, p);
        return p;
    }

    private List<StoredPipeline> queryPipelines(String sql, String name) {
        List<StoredPipeline> out = new ArrayList<>();
        List<long[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (name != null) ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new long[]{rs.getLong("version_id"), rs.getLong("created_at"),
                        rs.getLong("updated_at")});
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read pipelines", e);
        }
        for (long[] r : rows) {
            out.add(new StoredPipeline(version(r[0]), r[0], Instant.ofEpochMilli(r[1]), Instant.ofEpochMilli(r[2])));
        }
        return out;
    }

    // ---- runs ----

    /**
     * Stores a new queued run and its queue entry through {@code tx} (committed by the caller); returns its id,
     * which is also its arrival sequence.
     */
    public static QueuedRun createRun(Connection tx, NewRun r) throws SQLException {
        long id;
        try (PreparedStatement ps = tx.prepareStatement("""
                INSERT INTO pipeline_run(pipeline, version_id, priority, deadline, trigger_kind, trigger_detail,
                  trigger_file, state, created_at) VALUES (?,?,?,?,?,?,?,?,?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, r.pipeline());
            ps.setLong(2, r.versionId());
            ps.setInt(3, r.priority());
            setInstant(ps, 4, r.deadline());
            ps.setString(5, r.origin().kind().wire());
            ps.setString(6, r.origin().detail());
            ps.setString(7, r.origin().file() == null ? null : r.origin().file().toString());
            ps.setString(8, RunState.QUEUED.wire());
            ps.setLong(9, r.createdAt().toEpochMilli());
            ps.executeUpdate();
            try (ResultSet k = ps.getGeneratedKeys()) {
                k.next();
                id = k.getLong(1);
            }
        }
        QueuedRun q = new QueuedRun(id, r.pipeline(), r.priority(), r.deadline(), r.createdAt(), id, r.need(),
                r.preemptible());
        RunQueueStore.insert(tx, q);
        return q;
    }

    /** As {@link #createRun(Connection, NewRun)} in a transaction of this store's own. */
    public synchronized QueuedRun createRun(NewRun r) {
        return createRun(r, q -> { });
    }

    /** As {@link #createRun(NewRun)}, calling {@code before} with the stored run before the transaction commits. */
    public synchronized QueuedRun createRun(NewRun r, java.util.function.Consumer<QueuedRun> before) {
        return inTransaction(() -> {
            QueuedRun q = createRun(c, r);
            before.accept(q);
            return q;
        }, "cannot store a run of " + r.pipeline());
    }

    public synchronized Optional<PipelineRun> run(long id) {
        List<PipelineRun> l = queryRuns("SELECT * FROM pipeline_run WHERE id=?", List.of(id));
        return l.stream().findFirst();
    }

    /** Runs newest first, filtered by pipeline and state when given. */
    public synchronized List<PipelineRun> runs(String pipeline, RunState state, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM pipeline_run WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (pipeline != null) {
            sql.append(" AND pipeline=?");
            args.add(pipeline);
        }
        if (state != null) {
            sql.append(" AND state=?");
            args.add(state.wire());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return queryRuns(sql.toString(), args);
    }

    /** The highest run id ever stored (0 when none). */
    public synchronized long maxRunId() {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM pipeline_run");
             ResultSet rs = ps.executeQuery()) {
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read runs", e);
        }
    }

    /** Runs in {@code state}, oldest first. */
    public synchronized List<PipelineRun> runsIn(RunState state) {
        return queryRuns("SELECT * FROM pipeline_run WHERE state=? ORDER BY id", List.of(state.wire()));
    }

    /** How many runs of {@code pipeline} are in each state. */
    public synchronized Map<RunState, Integer> runCounts(String pipeline) {
        Map<RunState, Integer> out = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) out.put(s, 0);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT state, count(*) FROM pipeline_run WHERE pipeline=? GROUP BY state")) {
            ps.setString(1, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(RunState.fromWire(rs.getString(1)), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count runs of " + pipeline, e);
        }
        return out;
    }

    /** How many runs of every pipeline are in each state. */
    public synchronized Map<RunState, Integer> runCounts() {
        Map<RunState, Integer> out = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) out.put(s, 0);
        try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM pipeline_run GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(RunState.fromWire(rs.getString(1)), rs.getInt(2));
        } catch (SQLException e) {
            throw new StoreException("cannot count runs", e);
        }
        return out;
    }

    /** How many runs wait in the queue at each (base) priority. */
    public synchronized Map<Integer, Integer> queuedByPriority() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT priority, count(*) FROM pipeline_run WHERE state=? GROUP BY priority")) {
            ps.setString(1, RunState.QUEUED.wire());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getInt(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count queued runs", e);
        }
        return out;
    }

    public synchronized void runStarted(long id, Instant at) {
        update("UPDATE pipeline_run SET state=?, started_at=? WHERE id=?", "cannot start run " + id,
                RunState.RUNNING.wire(), at.toEpochMilli(), id);
        changed();
    }

    /** Records the end of a run and stores, in the same transaction, the runs its end starts. */
    public synchronized void runEnded(long id, RunState state, String reason, Instant at, List<NewRun> followUps) {
        inTransaction(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE pipeline_run SET state=?, reason=?, ended_at=? WHERE id=?")) {
                bind(ps, state.wire(), reason, at.toEpochMilli(), id);
                ps.executeUpdate();
            }
            for (NewRun r : followUps) createRun(c, r);
            return null;
        }, "cannot end run " + id);
        changed();
    }

    /** Puts a running run back in the queued state (preempted, or found dispatched but not started). */
    public synchronized void runRequeued(long id, String reason) {
        update("UPDATE pipeline_run SET state=?, reason=?, started_at=NULL WHERE id=?", "cannot requeue run " + id,
                RunState.QUEUED.wire(), reason, id);
    }

    private List<PipelineRun> queryRuns(String sql, List<Object> args) {
        List<PipelineRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String file = rs.getString("trigger_file");
                    RunOrigin origin = new RunOrigin(TriggerKind.fromWire(rs.getString("trigger_kind")),
                            rs.getString("trigger_detail"), file == null ? null : Path.of(file));
                    out.add(new PipelineRun(rs.getLong("id"), rs.getString("pipeline"), rs.getLong("version_id"),
                            rs.getInt("priority"), instant(rs, "deadline"), origin,
                            RunState.fromWire(rs.getString("state")), rs.getString("reason"),
                            instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "ended_at")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read runs", e);
        }
        return out;
    }

    // ---- steps ----

    public synchronized void attemptStarted(StepAttempt a) {
        update("""
                INSERT OR REPLACE INTO step_attempt(run_id, step, item, attempt, state, run_dir, monitor_pid, started_at)
                VALUES (?,?,?,?,?,?,?,?)""", "cannot record the start of step " + a.step(),
                a.runId(), a.step(), item(a.item()), a.attempt(), a.state().wire(), a.runDir().toString(),
                a.monitorPid(), a.startedAt().toEpochMilli());
    }

    public synchronized void attemptPid(StepAttempt a, long pid) {
        update("UPDATE step_attempt SET monitor_pid=? WHERE run_id=? AND step=? AND item=? AND attempt=?",
                "cannot record the pid of step " + a.step(), pid, a.runId(), a.step(), item(a.item()), a.attempt());
    }

    public synchronized void attemptEnded(StepAttempt a) {
        update("""
                UPDATE step_attempt SET state=?, exit_code=?, message=?, ended_at=?
                WHERE run_id=? AND step=? AND item=? AND attempt=?""", "cannot record the end of step " + a.step(),
                a.state().wire(), a.exitCode(), a.message(), a.endedAt() == null ? null : a.endedAt().toEpochMilli(),
                a.runId(), a.step(), item(a.item()), a.attempt());
    }

    /** Forgets the attempts of a step (a preempted step starts afresh, its partial work discarded). */
    public synchronized void deleteAttempts(long runId, String step) {
        update("DELETE FROM step_attempt WHERE run_id=? AND step=?", "cannot reset step " + step, runId, step);
    }

    public synchronized List<StepAttempt> attempts(long runId) {
        List<StepAttempt> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM step_attempt WHERE run_id=? ORDER BY started_at, step, item, attempt")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int item = rs.getInt("item");
                    int code = rs.getInt("exit_code");
                    Integer exit = rs.wasNull() ? null : code;
                    long pid = rs.getLong("monitor_pid");
                    Long monitor = rs.wasNull() ? null : pid;
                    out.add(new StepAttempt(runId, rs.getString("step"), item < 0 ? null : item,
                            rs.getInt("attempt"), StepState.fromWire(rs.getString("state")),
                            Path.of(rs.getString("run_dir")), exit, rs.getString("message"), monitor,
                            instant(rs, "started_at"), instant(rs, "ended_at")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the steps of run " + runId, e);
        }
        return out;
    }

    public synchronized void putResult(StepResult r) {
        update("INSERT OR REPLACE INTO step_result(run_id, step, state, items, message, at) VALUES (?,?,?,?,?,?)",
                "cannot record the result of step " + r.step(), r.runId(), r.step(), r.state().wire(), r.items(),
                r.message(), r.at().toEpochMilli());
    }

    public synchronized Map<String, StepResult> results(long runId) {
        Map<String, StepResult> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM step_result WHERE run_id=? ORDER BY at")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int items = rs.getInt("items");
                    Integer n = rs.wasNull() ? null : items;
                    out.put(rs.getString("step"), new StepResult(runId, rs.getString("step"),
                            StepState.fromWire(rs.getString("state")), n, rs.getString("message"),
                            instant(rs, "at")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the step results of run " + runId, e);
        }
        return out;
    }

    // ---- products ----

    /** Records a product in the outbox; returns its id (the existing one if this output was recorded already). */
    public synchronized long putProduct(ProductRecord p) {
        changed();
        update("""
                INSERT OR IGNORE INTO product(run_id, pipeline, step, item, output, path, size_bytes, sha256, priority,
                  retention_ms, expires_at, image, inputs, state, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                "cannot record product " + p.output(), p.runId(), p.pipeline(), p.step(), item(p.item()), p.output(),
                p.path().toString(), p.sizeBytes(), p.sha256(), p.priority(), p.retention().toMillis(),
                p.expiresAt().toEpochMilli(), p.image(), encode(p.inputs()), p.state(), p.createdAt().toEpochMilli());
        return products("SELECT * FROM product WHERE run_id=? AND step=? AND item=? AND output=?",
                p.runId(), p.step(), item(p.item()), p.output()).get(0).id();
    }

    /** Records the lineage of a file a step wrote into a dataset (replacing what an earlier try of it left). */
    public synchronized void putDatasetFile(io.orchide.node.dataset.DatasetFileLineage l) {
        changed();
        try {
            io.orchide.node.dataset.DatasetLineage.put(c, l);
        } catch (SQLException e) {
            throw new StoreException("cannot record the lineage of " + l.dataset() + "/" + l.name(), e);
        }
    }

    /** Products, highest downlink priority first, then oldest; only those of {@code runId} when it is not null. */
    public synchronized List<ProductRecord> products(Long runId) {
        return runId == null ? products("SELECT * FROM product ORDER BY priority DESC, id")
                : products("SELECT * FROM product WHERE run_id=? ORDER BY priority DESC, id", runId);
    }

    /** Products in {@code state}, highest downlink priority first, then oldest. */
    public synchronized List<ProductRecord> productsIn(String state) {
        return products("SELECT * FROM product WHERE state=? ORDER BY priority DESC, id", state);
    }

    /** Moves a product on in its downlink: {@code from} to {@code to}; false when it was not in {@code from}. */
    public synchronized boolean productState(long id, String from, String to) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE product SET state=? WHERE id=? AND state=?")) {
            bind(ps, to, id, from);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("cannot update product " + id, e);
        }
    }

    /** Asks {@code l} to be told after the store wrote something (a batch committed, a run or product recorded). */
    public void onChange(Runnable l) {
        changeListener = l;
    }

    private void changed() {
        Runnable l = changeListener;
        if (l != null) l.run();
    }

    private List<ProductRecord> products(String sql, Object... args) {
        List<ProductRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int item = rs.getInt("item");
                    out.add(new ProductRecord(rs.getLong("id"), rs.getLong("run_id"), rs.getString("pipeline"),
                            rs.getString("step"), item < 0 ? null : item, rs.getString("output"),
                            Path.of(rs.getString("path")), rs.getLong("size_bytes"), rs.getString("sha256"),
                            rs.getInt("priority"), Duration.ofMillis(rs.getLong("retention_ms")),
                            instant(rs, "expires_at"), rs.getString("image"), decode(rs.getString("inputs")),
                            rs.getString("state"), instant(rs, "created_at")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read products", e);
        }
        return out;
    }

    /** Input lineage as lines of {@code name<TAB>path}. */
    private static String encode(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(e.getKey()).append('\t').append(e.getValue()).append('\n'));
        return b.toString();
    }

    private static Map<String, String> decode(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : s.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) m.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return m;
    }

    // ---- batches ----

    /**
     * Opens a batch: the writes until {@link #commit} or {@link #endBatch} share one transaction, so that one piece
     * of the engine's work costs one sync instead of one per row. A batch is only a saving: when its transaction
     * cannot begin (another writer held the lock past the busy timeout), the work goes on with a transaction per
     * write, each waiting for the lock in turn. The batch holds the database's write gate until {@link #endBatch}.
     */
    public void beginBatch() {
        writeGate.lock();
        synchronized (this) {
            try {
                if (c.getAutoCommit()) Transactions.begin(c);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "a batch could not begin, its writes go one by one: "
                        + e.getMessage());
            }
        }
    }

    /**
     * Makes what the batch wrote so far durable (before a monitor is started, say) and releases the write lock;
     * later writes of the batch each commit on their own.
     */
    public synchronized void commit() {
        try {
            if (!c.getAutoCommit()) Transactions.commit(c);
            changed();
        } catch (SQLException e) {
            throw new StoreException("cannot commit", e);
        }
    }

    /** Commits what the batch wrote, returns to one transaction per write and lets the write gate go. */
    public void endBatch() {
        try {
            commit();
        } finally {
            if (writeGate.isHeldByCurrentThread()) writeGate.unlock();
        }
    }

    // ---- helpers ----

    private static int item(Integer item) {
        return item == null ? -1 : item;
    }

    private void update(String sql, String what, Object... args) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) ps.setNull(i + 1, Types.NULL);
            else if (a instanceof Integer n) ps.setInt(i + 1, n);
            else if (a instanceof Long n) ps.setLong(i + 1, n);
            else ps.setString(i + 1, a.toString());
        }
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private <T> T inTransaction(Transactions.Work<T> work, String what) {
        return Transactions.inTransaction(c, work, what);
    }
}
