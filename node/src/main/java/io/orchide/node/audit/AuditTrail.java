package io.orchide.node.audit;

import io.orchide.model.message.StatusReport;
import io.orchide.node.store.Database;
import io.orchide.node.store.RecordJournal;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    private static final String JOURNAL_KIND = "audit";

    private final RecordJournal journal; // null: every record synced before it returns
    private final Connection c;
    private final Object lock;
    private final Clock clock;
    private final int max;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final String epoch;
    private long dropped;    // guarded by lock: records not reported dropped since the agent started
    private long count = -1; // guarded by lock: the records kept, or more (rows deleted behind its back); -1 unknown

    public AuditTrail(Database db, Clock clock) {
        this(db, clock, null, MAX);
    }

    /**
     * Over {@code db}, the broker's allowed decisions written ahead through {@code journal} (registered here; the
     * caller starts it).
     */
    public AuditTrail(Database db, Clock clock, RecordJournal journal) {
        this(db, clock, journal, MAX);
    }

    AuditTrail(Database db, Clock clock, int max) {
        this(db, clock, null, max);
    }

    private AuditTrail(Database db, Clock clock, RecordJournal journal, int max) {
        this.journal = journal;
        if (journal != null) journal.register(JOURNAL_KIND, this::fromJournal);
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
        store(change, clock.millis());
    }

    /**
     * Records a broker's decision: a refusal as {@link #record}, on the disk before the broker answers; an allowed
     * request written ahead through the journal ({@link RecordJournal}), so that the answer does not wait for
     * SQLite: an agent killed right after the answer still has the record (the next agent writes it to node.db), a
     * power loss within the 20 ms or so before the journal's next transaction may lose it (and the request it
     * allowed, whose quota count is journalled the same way).
     */
    public void recordDecision(Change change) {
        if (journal == null || !StatusReport.Audit.ALLOWED.equals(change.outcome())) {
            record(change);
            return;
        }
        try {
            journal.append(JOURNAL_KIND, encode(change, clock.millis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record(change); // not journalled: stored the slow way rather than lost
            return;
        }
        listeners.forEach(Runnable::run);
    }

    private void store(Change change, long at) {
        // after what the journal holds, so that the records keep the order of the decisions (unless the caller holds
        // the database's lock: the journal's writer needs it, and this record then goes before the journalled ones)
        if (journal != null && !Thread.holdsLock(lock)) journal.flushQuietly();
        String what = "cannot record the audit of " + change.kind() + " " + change.name();
        synchronized (lock) {
            try {
                Transactions.inTransaction(c, () -> insert(change, at), what);
            } catch (RuntimeException e) {
                count = -1; // rolled back: counted again next time
                throw e;
            }
        }
        listeners.forEach(Runnable::run);
    }

    private Void insert(Change change, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record(at, origin, verb, kind, name, "
                + "tenant, generation, outcome, reason) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, at);
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
    }

    /** One journalled record into node.db, inside the journal's transaction. */
    private void fromJournal(byte[] payload) throws SQLException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            long at = in.readLong();
            String origin = in.readUTF(), verb = in.readUTF(), kind = in.readUTF(), name = in.readUTF();
            String tenant = in.readBoolean() ? in.readUTF() : null;
            Integer generation = in.readBoolean() ? in.readInt() : null;
            String outcome = in.readUTF();
            String reason = in.readBoolean() ? in.readUTF() : null;
            insert(new Change(origin, verb, kind, name, tenant, generation, outcome, reason), at);
        } catch (IOException e) {
            throw new SQLException("a journalled audit record does not read: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(Change c, long at) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(at);
            out.writeUTF(c.origin());
            out.writeUTF(c.verb());
            out.writeUTF(c.kind());
            out.writeUTF(c.name());
            out.writeBoolean(c.tenant() != null);
            if (c.tenant() != null) out.writeUTF(c.tenant());
            out.writeBoolean(c.generation() != null);
            if (c.generation() != null) out.writeInt(c.generation());
            out.writeUTF(c.outcome());
            out.writeBoolean(c.reason() != null);
            if (c.reason() != null) out.writeUTF(c.reason());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
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
        // the first drop and then one line per thousand: a node weeks out of contact must not fill its log instead
        long before = dropped;
        dropped += over;
        if (before == 0 || before / 1000 != dropped / 1000) {
            LOG.log(System.Logger.Level.WARNING, "the audit holds " + max + " records not reported to ground: the "
                    + "oldest go to make room (" + dropped + " dropped since the agent started)");
        }
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
        if (journal != null && !Thread.holdsLock(lock)) journal.flushQuietly(); // what was decided before the read
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
