package io.orchide.ground.audit;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.StatusReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The nodes' own audit records (each desired-state change a node applied or refused, from ground or from its local
 * API), appended to ground's audit log as entries whose actor is the node ({@code satellite:SAT/NODE}) and whose
 * source is {@code satellite:SAT}.
 *
 * <p>Two steps, so that none is lost and none taken twice: {@link #take} runs in the transaction that claims the
 * report bundle, and keeps the records a node had not sent before (by its sequence numbers, per node) in an inbox;
 * {@link #forward} then hands the inbox to the audit log's one writer, waiting for each entry's commit, and empties
 * it. A crash between the two leaves the records in the inbox for the next forward (at ground's start, or after the
 * next report); only a crash between an entry's commit and the inbox's emptying repeats it. A gap in a node's
 * numbers (its bounded audit dropped records it could not report) becomes an entry of its own. A node's numbers
 * belong to its epoch (its database): a new epoch starts them again from 1, and is an entry of its own too.
 */
public final class SatelliteAudit {
    /** The tables, as part of one entry of ground's migrations. */
    public static final String MIGRATION = """
            CREATE TABLE satellite_audit_seen (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              epoch VARCHAR(64) NOT NULL,
              last_seq BIGINT NOT NULL,
              PRIMARY KEY (satellite, node)
            );
            CREATE TABLE satellite_audit_inbox (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              seq BIGINT NOT NULL,
              at BIGINT NOT NULL,
              origin VARCHAR(16) NOT NULL,
              verb VARCHAR(16) NOT NULL,
              kind VARCHAR(16) NOT NULL,
              name VARCHAR(253) NOT NULL,
              tenant VARCHAR(63),
              generation INTEGER,
              outcome VARCHAR(16) NOT NULL,
              reason TEXT
            )
            """;
    static final int FORWARD_BATCH = 500;
    private static final String GAP = "gap";
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.audit");

    private final GroundDatabase db;
    private final Consumer<AuditEntry> writer;
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    /** Forwarding to {@code writer}: the audit writer's {@code record(entry, CHANGE)}, which returns once committed. */
    public SatelliteAudit(GroundDatabase db, Consumer<AuditEntry> writer) {
        this.db = db;
        this.writer = writer;
    }

    /**
     * Keeps the records of {@code node} on {@code satellite} (numbered in {@code epoch}) it had not sent before, in the
     * caller's transaction.
     */
    public static void take(Connection c, String satellite, String node, String epoch, List<StatusReport.Audit> records)
            throws SQLException {
        if (records.isEmpty()) return;
        long last = 0;
        boolean existed = false;
        String knownEpoch = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT epoch, last_seq FROM satellite_audit_seen WHERE satellite = ? AND node = ?")) {
            Sql.bind(ps, satellite, node);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    knownEpoch = rs.getString(1);
                    last = rs.getLong(2);
                    existed = true;
                }
            }
        }
        long top = last;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO satellite_audit_inbox (satellite, node, seq, at, "
                + "origin, verb, kind, name, tenant, generation, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            if (existed && !knownEpoch.equals(epoch)) {
                Sql.bind(ps, satellite, node, 0L, records.getFirst().at(), GAP, GAP, GAP, node, null, null, GAP,
                        "the node's audit starts anew (epoch " + epoch + " after " + knownEpoch + ", a new node "
                                + "database): its records are numbered from 1 again");
                ps.addBatch();
                top = 0;
                last = -1; // written below even when no record is new
            }
            for (StatusReport.Audit a : records) {
                if (a.seq() <= top) continue; // sent before: a report repeated after a crash on board
                if (a.seq() > top + 1) { // a node numbers its records from 1
                    Sql.bind(ps, satellite, node, a.seq() - 1, a.at(), GAP, GAP, GAP, node, null, null, GAP,
                            "records " + (top + 1) + " to " + (a.seq() - 1) + " were dropped on board before they "
                                    + "could be reported (the node's audit was full)");
                    ps.addBatch();
                }
                Sql.bind(ps, satellite, node, a.seq(), a.at(), a.origin(), a.verb(), a.kind(), a.name(), a.tenant(),
                        a.generation(), a.outcome(), a.reason());
                ps.addBatch();
                top = a.seq();
            }
            if (top > last) ps.executeBatch();
        }
        if (top == last) return;
        if (existed) {
            Sql.update(c, "UPDATE satellite_audit_seen SET epoch = ?, last_seq = ? WHERE satellite = ? AND node = ?",
                    epoch, top, satellite, node);
        } else {
            Sql.update(c, "INSERT INTO satellite_audit_seen (satellite, node, epoch, last_seq) VALUES (?, ?, ?, ?)",
                    satellite, node, epoch, top);
        }
    }

    /** The entry a node's record becomes. */
    static AuditEntry entry(String satellite, String node, StatusReport.Audit a) {
        String actor = "satellite:" + satellite + "/" + node;
        String source = "satellite:" + satellite;
        if (a.origin().equals(GAP)) {
            return new AuditEntry(actor, null, "audit", "satellites/" + satellite + "/nodes/" + node + "/audit",
                    Outcome.FAILED, source, a.reason());
        }
        String from = a.origin().equals("ground") ? "from ground" + (a.generation() == null ? "" : ", generation " + a.generation())
                : a.origin().equals("broker") ? "by the device broker" : "from the node's local API";
        String detail = a.outcome() + " on board by " + node + " at " + a.at() + ", " + from
                + (a.reason() == null ? "" : ": " + a.reason());
        return new AuditEntry(actor, a.tenant(), a.verb(), "satellites/" + satellite + "/" + resource(a.kind()) + "/" + a.name(),
                a.outcome().equals(StatusReport.Audit.APPLIED) || a.outcome().equals(StatusReport.Audit.ALLOWED)
                        ? Outcome.ALLOWED : Outcome.DENIED, source, detail);
    }

    /** {@code App} as the API names it in paths: {@code apps}. */
    private static String resource(String kind) {
        return kind.toLowerCase(Locale.ROOT) + "s";
    }

    private record Held(long id, String satellite, String node, StatusReport.Audit record) {
    }

    /**
     * Appends what the inbox holds to the audit log, oldest first, and empties it; returns how many entries were
     * appended. Calls that overlap run once more after the one under way instead of side by side.
     */
    public int forward() {
        again.set(true);
        int n = 0;
        // a call that finds another under way leaves it to that one; the re-check catches one that came as it ended
        while (again.get() && running.compareAndSet(false, true)) {
            try {
                while (again.getAndSet(false)) {
                    List<Held> batch;
                    do {
                        batch = db.read(SatelliteAudit::held);
                        for (Held h : batch) {
                            writer.accept(entry(h.satellite(), h.node(), h.record()));
                            db.tx(c -> Sql.update(c, "DELETE FROM satellite_audit_inbox WHERE id = ?", h.id()));
                            n++;
                        }
                    } while (batch.size() == FORWARD_BATCH);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "satellites' audit records stay in the inbox for now: " + e);
                return n;
            } finally {
                running.set(false);
            }
        }
        return n;
    }

    private static List<Held> held(Connection c) throws SQLException {
        List<Held> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM satellite_audit_inbox ORDER BY id LIMIT ?")) {
            ps.setInt(1, FORWARD_BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int g = rs.getInt("generation");
                    Integer generation = rs.wasNull() ? null : g;
                    out.add(new Held(rs.getLong("id"), rs.getString("satellite"), rs.getString("node"),
                            new StatusReport.Audit(rs.getLong("seq"), Sql.instant(rs, "at"), rs.getString("origin"),
                                    rs.getString("verb"), rs.getString("kind"), rs.getString("name"),
                                    rs.getString("tenant"), generation, rs.getString("outcome"), rs.getString("reason"))));
                }
            }
        }
        return out;
    }
}
