package io.orchide.node.audit;

import io.orchide.model.message.StatusReport;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's audit of desired state: every change it applied or refused, from ground or from the local API, kept in
 * the agent's database ({@code audit_record}) with a sequence number that only increases, until a status report has
 * taken it for ground. Bounded: past {@link #MAX} records the oldest already reported go first, then the oldest not
 * reported (ground sees the gap in the sequence numbers and records it), so that a node weeks out of contact never
 * fills its disk with its audit.
 */
public final class AuditTrail {
    /** The records kept at most. */
    public static final int MAX = 2_000;
    public static final String GROUND = "ground", LOCAL = "local";
    public static final String APPLY = "apply", DELETE = "delete";

    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    /** What one record says (its sequence number and time are given when it is recorded). */
    public record Change(String origin, String verb, String kind, String name, String tenant, Integer generation,
                         String outcome, String reason) {
    }

    private final Database db;
    private final Connection c;
    private final Object lock;
    private final Clock clock;
    private final int max;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final String epoch;
    private long count = -1; // guarded by lock: the records kept, or more (rows deleted behind its back); -1 unknown

    public AuditTrail(Database db, Clock clock) {
        this(db, clock, MAX);
    }

    AuditTrail(Database db, Clock clock, int max) {
        this.db = db;
        this.c = db.connection();
        this.lock = db.lock(); // the agent's shared writer
        this.clock = clock;
        this.max = max;
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM audit_epoch"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new StoreException("node.db has no audit epoch", null);
                this.epoch = rs.getString(1);
            } catch (SQLException e) {
                throw new StoreException("cannot read the audit epoch", e);
            }
        }
    }

    /**
     * The name of this trail's numbering, made with the node's database: a node whose database is made anew numbers
     * its records from 1 again under another epoch, which tells ground not to take them for records it has.
     */
    public String epoch() {
        return epoch;
    }

    /** Asks {@code l} to be told after each record added (the downlink sends a report). */
    public void onAdded(Runnable l) {
        listeners.add(l);
    }

    /** Records {@code change} now; returns once it is on the disk. */
    public void record(Change change) {
        store(change, false);
    }

    /**
     * Records a broker's decision: a refusal as {@link #record}, on the disk before the broker answers; an allowed
     * request only written ({@link Database#inWrittenTransaction}), so that the answer does not wait for the disk:
     * an agent killed right after the answer still has the record, a power loss within the few milliseconds of the
     * next sync may lose it (and the request it allowed, whose quota count is written the same way).
     */
    public void recordDecision(Change change) {
        store(change, StatusReport.Audit.ALLOWED.equals(change.outcome()));
    }

    private void store(Change change, boolean written) {
        String what = "cannot record the audit of " + change.kind() + " " + change.name();
        synchronized (lock) {
            Transactions.Work<Void> insert = () -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record(at, origin, verb, kind, name, "
                        + "tenant, generation, outcome, reason) VALUES (?,?,?,?,?,?,?,?,?)")) {
                    ps.setLong(1, clock.millis());
                    ps.setString(2, change.origin());
                    ps.setString(3, change.verb());
                    ps.setString(4, change.kind());
                    ps.setString(5, change.name());
                    ps.setString(6, change.tenant());
                    if (change.generation() == null) ps.setNull(7, Types.INTEGER);
                    else ps.setInt(7, change.generation());
                    ps.setString(8, change.outcome());
                    ps.setString(9, change.reason());
                    ps.executeUpdate();
                }
                trim();
                return null;
            };
            try {
                if (written) db.inWrittenTransaction(insert, what);
                else Transactions.inTransaction(c, insert, what);
            } catch (RuntimeException e) {
                count = -1; // rolled back: counted again next time
                throw e;
            }
        }
        listeners.forEach(Runnable::run);
    }

    /**
     * Past the bound: the oldest reported records first, then the oldest not reported (with a warning). Counted in
     * memory, so that a record costs no scan of the table; counted again from the table before a record ground does
     * not have is dropped, so that a count too high (rows deleted behind the trail's back) never costs one.
     */
    private void trim() throws SQLException {
        count = count < 0 ? count("SELECT COUNT(*) FROM audit_record") : count + 1;
        long over = count - max;
        if (over <= 0) return;
        long gone = delete("DELETE FROM audit_record WHERE seq IN (SELECT seq FROM audit_record WHERE reported = 1 "
                + "ORDER BY seq LIMIT ?)", over);
        count -= gone;
        if (gone == over) return;
        count = count("SELECT COUNT(*) FROM audit_record");
        over = count - max;
        if (over <= 0) return;
        count -= delete("DELETE FROM audit_record WHERE seq IN (SELECT seq FROM audit_record ORDER BY seq LIMIT ?)", over);
        LOG.log(System.Logger.Level.WARNING, "the audit holds " + max + " records not reported to ground: the "
                + "oldest " + over + " dropped");
    }

    private long count(String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private long delete(String sql, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, n);
            return ps.executeUpdate();
        }
    }

    /** The records not yet reported, oldest first, at most {@code limit}. */
    public List<StatusReport.Audit> unreported(int limit) {
        return query("SELECT * FROM audit_record WHERE reported = 0 ORDER BY seq LIMIT ?", limit);
    }

    /** The last {@code limit} records, newest first, reported or not. */
    public List<StatusReport.Audit> recent(int limit) {
        return query("SELECT * FROM audit_record ORDER BY seq DESC LIMIT ?", limit);
    }

    /** Marks every record up to {@code seq} reported: a report queued on the link carries them. */
    public void reported(long seq) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_record SET reported = 1 WHERE seq <= ? AND reported = 0")) {
                ps.setLong(1, seq);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot mark audit records reported", e);
            }
        }
    }

    private List<StatusReport.Audit> query(String sql, int limit) {
        synchronized (lock) {
            List<StatusReport.Audit> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int g = rs.getInt("generation");
                        Integer generation = rs.wasNull() ? null : g;
                        out.add(new StatusReport.Audit(rs.getLong("seq"), Instant.ofEpochMilli(rs.getLong("at")),
                                rs.getString("origin"), rs.getString("verb"), rs.getString("kind"), rs.getString("name"),
                                rs.getString("tenant"), generation, rs.getString("outcome"), rs.getString("reason")));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the audit", e);
            }
            return out;
        }
    }
}
