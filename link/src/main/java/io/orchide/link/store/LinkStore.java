package io.orchide.link.store;

import io.orchide.link.Bundle;
import io.orchide.link.PayloadSource;
import io.orchide.link.LinkException;
import io.orchide.link.wire.Frame;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The link's durable state (outgoing queue with payloads, incoming partial and whole bundles, ids seen, session
 * leases) in SQLite or PostgreSQL, in tables prefixed {@code link_}, created by the store's own versioned
 * migrations ({@code link_schema}). Payloads are kept in segment-sized rows. Every operation is one transaction under
 * the store's lock, on the one connection of a SQLite file store, or on a connection taken from the data source for
 * that transaction and given back after it: a pool that replaces dead connections then carries the store through
 * its database going away and coming back. While the database cannot be reached, operations fail with
 * {@link StoreUnavailableException} (a write is rolled back whole) and {@link #available()} is false until one
 * succeeds again.
 */
public final class LinkStore implements AutoCloseable {
    /** Outgoing states. */
    public static final String QUEUED = "queued", ACKED = "acked", EXPIRED = "expired", REJECTED = "rejected";
    /** Incoming states. */
    public static final String PARTIAL = "partial", COMPLETE = "complete";

    private final LinkDatabase db;

    private LinkStore(LinkDatabase db) {
        this.db = db;
    }

    /** An embedded SQLite store (WAL, synchronous=FULL) in {@code file}. */
    public static LinkStore sqlite(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) java.nio.file.Files.createDirectories(parent);
            return new LinkStore(new LinkDatabase(null, DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())));
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("link store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A store on any JDBC source, SQLite or PostgreSQL (detected from the connection), shared by several processes: a
     * connection is taken for each transaction and closed after it, so {@code source} should be a pool.
     */
    public static LinkStore on(DataSource source) {
        return new LinkStore(new LinkDatabase(source, null));
    }

    public boolean postgres() { return db.postgres(); }

    /** False from an operation that failed for lack of the database until one succeeds again. */
    public boolean available() { return db.available(); }

    public int schemaVersion() {
        return query(() -> {
            try (Statement s = c().createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM link_schema")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private <T> T tx(LinkDatabase.Work<T> w) { return db.tx(w); }

    private <T> T query(LinkDatabase.Work<T> w) { return db.query(w); }

    /** The connection of the transaction under way. */
    private Connection c() { return db.connection(); }

    private PreparedStatement ps(String sql, Object... args) throws SQLException { return db.ps(sql, args); }

    private int update(String sql, Object... args) throws SQLException { return db.update(sql, args); }

    private static Bundle bundle(ResultSet rs) throws SQLException {
        return new Bundle(rs.getString("id"), rs.getString("source"), rs.getString("destination"), rs.getString("kind"),
                rs.getInt("priority"), Instant.ofEpochMilli(rs.getLong("created_ms")),
                Duration.ofMillis(rs.getLong("lifetime_ms")), rs.getLong("size"), rs.getString("checksum"));
    }

    public static String sha256(byte[] payload) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ outgoing

    /** One queued outgoing bundle with its queue sequence and the offset the receiver acknowledged. */
    public record OutRow(Bundle bundle, long seq, long acked) { }

    /** Stores a bundle and its payload in segment-sized rows, in one transaction. */
    public void enqueue(Bundle b, long seq, byte[] payload, int segmentBytes) {
        enqueue(b, seq, new java.io.ByteArrayInputStream(payload), segmentBytes);
    }

    /**
     * Stores a bundle and its payload, read from {@code payload} one segment at a time, in one transaction; the
     * stream must hold exactly {@code b.size()} bytes.
     */
    public void enqueue(Bundle b, long seq, java.io.InputStream payload, int segmentBytes) {
        tx(() -> {
            update("INSERT INTO link_out (id, seq, source, destination, kind, priority, created_ms, lifetime_ms, size, checksum, state, acked)"
                            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,0)", b.id(), seq, b.source(), b.destination(), b.kind(), b.priority(),
                    b.created().toEpochMilli(), b.lifetime().toMillis(), b.size(), b.checksum(), QUEUED);
            try (PreparedStatement p = c().prepareStatement("INSERT INTO link_out_seg (id, off, data) VALUES (?,?,?)")) {
                long off = 0;
                while (off < b.size()) {
                    byte[] part = payload.readNBytes((int) Math.min(segmentBytes, b.size() - off));
                    if (part.length == 0) throw new SQLException("payload ended at " + off + " of " + b.size() + " bytes");
                    p.setString(1, b.id());
                    p.setLong(2, off);
                    p.setBytes(3, part);
                    p.executeUpdate();
                    off += part.length;
                }
                if (payload.read() >= 0) throw new SQLException("payload longer than its " + b.size() + " bytes");
            } catch (java.io.IOException e) {
                throw new SQLException("cannot read the payload: " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** The queued bundles, in sending order. */
    public List<OutRow> queued() {
        return query(() -> {
            List<OutRow> out = new ArrayList<>();
            try (PreparedStatement p = ps("SELECT * FROM link_out WHERE state=? ORDER BY priority DESC, created_ms, seq", QUEUED);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new OutRow(bundle(rs), rs.getLong("seq"), rs.getLong("acked")));
            }
            return out;
        });
    }

    public long maxSeq() {
        return query(() -> {
            try (Statement s = c().createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM link_out")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Payload bytes of an outgoing bundle from {@code offset}: the rest of the stored row holding it. */
    public byte[] readOut(String id, long offset) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT off, data FROM link_out_seg WHERE id=? AND off<=? ORDER BY off DESC LIMIT 1", id, offset);
                 ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return new byte[0];
                long off = rs.getLong(1);
                byte[] data = rs.getBytes(2);
                int skip = (int) (offset - off);
                if (skip >= data.length) return new byte[0];
                if (skip == 0) return data;
                byte[] rest = new byte[data.length - skip];
                System.arraycopy(data, skip, rest, 0, rest.length);
                return rest;
            }
        });
    }

    /** The outgoing bundle stored under {@code id} (in any state), or null. */
    public Bundle outBundle(String id) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT * FROM link_out WHERE id=?", id); ResultSet rs = p.executeQuery()) {
                return rs.next() ? bundle(rs) : null;
            }
        });
    }

    /**
     * Stores a bundle like {@link #enqueue} unless one with its id is stored already (by this process or, on a shared
     * store, another); returns the stored one in that case, null when this call stored it.
     */
    public Bundle enqueueIfAbsent(Bundle b, long seq, PayloadSource payload, int segmentBytes) {
        Bundle prior = outBundle(b.id());
        if (prior != null) return prior;
        try (java.io.InputStream in = payload.open()) {
            enqueue(b, seq, in, segmentBytes);
            return null;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("link store: cannot read the payload of " + b.id() + ": " + e.getMessage(), e);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (IllegalStateException e) { // a concurrent writer stored the same id first (unique key)
            prior = outBundle(b.id());
            if (prior != null) return prior;
            throw e;
        }
    }

    public String outState(String id) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT state FROM link_out WHERE id=?", id); ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    public void setAcked(String id, long acked) {
        tx(() -> update("UPDATE link_out SET acked=? WHERE id=? AND acked<? AND state=?", acked, id, acked, QUEUED));
    }

    /** Leaves the queue in {@code state} (acked, expired, rejected) and drops the payload. True if it was queued. */
    public boolean finishOut(String id, String state, long acked) {
        return tx(() -> {
            int n = update("UPDATE link_out SET state=?, acked=? WHERE id=? AND state=?", state, acked, id, QUEUED);
            update("DELETE FROM link_out_seg WHERE id=?", id);
            return n > 0;
        });
    }

    // ------------------------------------------------------------------------------------------------ incoming

    /** Per partially received bundle from {@code peer}: its id and the bytes held. */
    public List<Frame.Held> partials(String peer) {
        return query(() -> {
            List<Frame.Held> out = new ArrayList<>();
            try (PreparedStatement p = ps("SELECT id, held FROM link_in WHERE source=? AND state=? ORDER BY id", peer, PARTIAL);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Frame.Held(rs.getString(1), rs.getLong(2)));
            }
            return out;
        });
    }

    /** An incoming bundle known to the store: its header, the bytes held and whether it is whole. */
    public record InRow(Bundle bundle, long held, boolean complete) { }

    public InRow incoming(String id) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT * FROM link_in WHERE id=?", id); ResultSet rs = p.executeQuery()) {
                return rs.next() ? new InRow(bundle(rs), rs.getLong("held"), COMPLETE.equals(rs.getString("state"))) : null;
            }
        });
    }

    /** Whether {@code id} was already delivered (and is still remembered). */
    public boolean seen(String id) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT 1 FROM link_seen WHERE id=?", id); ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Appends {@code data} at {@code offset} (which must be the bytes held) to an incoming bundle, creating its row
     * on the first segment; one transaction. Returns the bytes now held.
     */
    public long append(Bundle b, long offset, byte[] data) {
        return tx(() -> {
            long held;
            try (PreparedStatement p = ps("SELECT held, state FROM link_in WHERE id=?", b.id()); ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    if (!PARTIAL.equals(rs.getString(2))) throw new LinkException("segment.id", b.id(), "is already complete");
                    held = rs.getLong(1);
                } else {
                    held = -1;
                }
            }
            if (held < 0) {
                update("INSERT INTO link_in (id, source, destination, kind, priority, created_ms, lifetime_ms, size, checksum, held, state)"
                                + " VALUES (?,?,?,?,?,?,?,?,?,0,?)", b.id(), b.source(), b.destination(), b.kind(), b.priority(),
                        b.created().toEpochMilli(), b.lifetime().toMillis(), b.size(), b.checksum(), PARTIAL);
                held = 0;
            }
            if (offset != held) throw new LinkException("segment.offset", offset, "is not the " + held + " bytes held");
            if (held + data.length > b.size()) throw new LinkException("segment.offset", offset, "plus " + data.length + " exceeds size " + b.size());
            if (data.length > 0) {
                update("INSERT INTO link_in_seg (id, off, data) VALUES (?,?,?)", b.id(), offset, data);
                update("UPDATE link_in SET held=? WHERE id=?", held + data.length, b.id());
            }
            return held + data.length;
        });
    }

    /** The sha256 of the bytes held for an incoming bundle. */
    public String checksumIn(String id) {
        return query(() -> {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (PreparedStatement p = ps("SELECT data FROM link_in_seg WHERE id=? ORDER BY off", id); ResultSet rs = p.executeQuery()) {
                while (rs.next()) md.update(rs.getBytes(1));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        });
    }

    public void complete(String id, long doneSeq) {
        tx(() -> update("UPDATE link_in SET state=?, done_seq=? WHERE id=? AND state=?", COMPLETE, doneSeq, id, PARTIAL));
    }

    public long maxDoneSeq() {
        return query(() -> {
            try (Statement s = c().createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(done_seq) FROM link_in")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Drops an incoming bundle, partial or whole, with its segments. */
    public void dropIn(String id) {
        tx(() -> {
            update("DELETE FROM link_in_seg WHERE id=?", id);
            return update("DELETE FROM link_in WHERE id=?", id);
        });
    }

    /** Whole bundles awaiting delivery, in arrival order. */
    public List<Bundle> deliverable(int limit) {
        return query(() -> {
            List<Bundle> out = new ArrayList<>();
            try (PreparedStatement p = ps("SELECT * FROM link_in WHERE state=? ORDER BY done_seq, id LIMIT " + limit, COMPLETE);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(bundle(rs));
            }
            return out;
        });
    }

    public byte[] readIn(String id) {
        return query(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PreparedStatement p = ps("SELECT data FROM link_in_seg WHERE id=? ORDER BY off", id); ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.writeBytes(rs.getBytes(1));
            }
            return out.toByteArray();
        });
    }

    /** After delivery: forgets the payload and remembers the id until the bundle's lifetime ends. */
    public void delivered(Bundle b) {
        tx(() -> {
            update("DELETE FROM link_in_seg WHERE id=?", b.id());
            update("DELETE FROM link_in WHERE id=?", b.id());
            update("INSERT INTO link_seen (id, expires_ms) VALUES (?,?) ON CONFLICT DO NOTHING", b.id(), b.expires().toEpochMilli());
            return null;
        });
    }

    public long partialCount(String peer) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT COUNT(*) FROM link_in WHERE source=? AND state=?", peer, PARTIAL); ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Forgets delivered ids whose lifetime ended and returns the incoming bundles (partial or whole) that expired. */
    public List<Bundle> purge(Instant now) {
        return tx(() -> {
            update("DELETE FROM link_seen WHERE expires_ms<?", now.toEpochMilli());
            List<Bundle> out = new ArrayList<>();
            try (PreparedStatement p = ps("SELECT * FROM link_in WHERE created_ms + lifetime_ms < ?", now.toEpochMilli());
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(bundle(rs));
            }
            for (Bundle b : out) {
                update("DELETE FROM link_in_seg WHERE id=?", b.id());
                update("DELETE FROM link_in WHERE id=?", b.id());
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------ leases

    /** Takes or renews the lease on {@code peer}'s session for {@code holder}; false if another holder has it. */
    public boolean acquireLease(String peer, String holder, Instant now, Duration ttl) {
        long exp = now.plus(ttl).toEpochMilli();
        return tx(() -> {
            int n = update("UPDATE link_lease SET holder=?, expires_ms=? WHERE peer=? AND (holder=? OR expires_ms<?)",
                    holder, exp, peer, holder, now.toEpochMilli());
            if (n == 0) n = update("INSERT INTO link_lease (peer, holder, expires_ms) VALUES (?,?,?) ON CONFLICT DO NOTHING", peer, holder, exp);
            return n > 0;
        });
    }

    /** Extends a lease this holder has; false if it lost it. */
    public boolean renewLease(String peer, String holder, Instant now, Duration ttl) {
        return tx(() -> update("UPDATE link_lease SET expires_ms=? WHERE peer=? AND holder=?",
                now.plus(ttl).toEpochMilli(), peer, holder) > 0);
    }

    public void releaseLease(String peer, String holder) {
        tx(() -> update("DELETE FROM link_lease WHERE peer=? AND holder=?", peer, holder));
    }

    /** Who holds {@code peer}'s lease, or null. */
    public String leaseHolder(String peer, Instant now) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT holder FROM link_lease WHERE peer=? AND expires_ms>=?", peer, now.toEpochMilli());
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    /** A lease on a peer's session: who holds it and until when, unless renewed. */
    public record Lease(String holder, Instant expires) { }

    /** The lease on {@code peer}'s session in force at {@code now}, or null. */
    public Lease lease(String peer, Instant now) {
        return query(() -> {
            try (PreparedStatement p = ps("SELECT holder, expires_ms FROM link_lease WHERE peer=? AND expires_ms>=?", peer, now.toEpochMilli());
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? new Lease(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))) : null;
            }
        });
    }

    /** Row counts of every link table, for tests that check a refusal changed nothing. */
    public String fingerprint() {
        return query(() -> {
            StringBuilder sb = new StringBuilder();
            for (String t : List.of("link_out", "link_out_seg", "link_in", "link_in_seg", "link_seen")) {
                try (Statement s = c().createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(" +
                        (t.endsWith("seg") ? "off" : t.equals("link_seen") ? "expires_ms" : t.equals("link_in") ? "held" : "acked") + "),0) FROM " + t)) {
                    rs.next();
                    sb.append(t).append('=').append(rs.getLong(1)).append('/').append(rs.getLong(2)).append(' ');
                }
            }
            return sb.toString().trim();
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
