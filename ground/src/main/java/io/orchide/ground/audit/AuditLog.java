package io.orchide.ground.audit;

import io.orchide.ground.store.Dialect;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.ground.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ground's audit log: append-only, hash-chained, bounded by {@link AuditRetention}, in ground's database (so every
 * replica on one PostgreSQL appends to the same chain).
 *
 * <p>The chain: entry {@code n} stores {@code hash(n) = SHA-256(canonical(n, time, fields, hash(n-1)))}
 * ({@link AuditChain}) and {@code hash(n-1)} beside it. One head row records the last sequence number and its hash,
 * and the anchor: the sequence number and hash of the last entry retention pruned (0 and {@link AuditChain#GENESIS}
 * before any was). Every append locks the head row first (PostgreSQL: {@code SELECT ... FOR UPDATE}; SQLite: a write
 * to it, which takes the database's write lock), so appends from any number of threads and replicas are serialised
 * and the chain has one head and no forks. Nothing here updates or deletes an entry except {@link #prune()}, which
 * removes a prefix and moves the anchor in the same transaction.
 */
public final class AuditLog {
    /** The audit tables, as one entry of ground's migrations. */
    public static final String MIGRATION = """
            CREATE TABLE audit_entry (
              seq BIGINT PRIMARY KEY,
              at BIGINT NOT NULL,
              actor VARCHAR(253) NOT NULL,
              tenant VARCHAR(63),
              verb VARCHAR(64) NOT NULL,
              resource TEXT NOT NULL,
              outcome VARCHAR(16) NOT NULL,
              source VARCHAR(128),
              detail TEXT,
              prev_hash VARCHAR(64) NOT NULL,
              hash VARCHAR(64) NOT NULL
            );
            CREATE INDEX audit_entry_by_at ON audit_entry (at);
            CREATE INDEX audit_entry_by_tenant ON audit_entry (tenant, seq);
            CREATE TABLE audit_head (
              id INTEGER PRIMARY KEY,
              seq BIGINT NOT NULL,
              hash VARCHAR(64) NOT NULL,
              anchor_seq BIGINT NOT NULL,
              anchor_hash VARCHAR(64) NOT NULL,
              pruned_at BIGINT
            );
            INSERT INTO audit_head (id, seq, hash, anchor_seq, anchor_hash)
              VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0,
                      '0000000000000000000000000000000000000000000000000000000000000000')
            """;

    /** The head row: the last entry appended, and the anchor (the last entry pruned, if any). */
    public record Head(long seq, String hash, long anchorSeq, String anchorHash, Instant prunedAt) {
    }

    /** At most this many entries are pruned in one transaction (which holds the head, so appends wait for it). */
    static final int PRUNE_BATCH = 5_000;
    /** Retention runs after this many appends by this process, or {@link #PRUNE_INTERVAL} after it last ran. */
    static final int PRUNE_EVERY = 1_000;
    static final Duration PRUNE_INTERVAL = Duration.ofHours(1);
    private static final int VERIFY_PAGE = 1_000;
    private static final int VERIFY_RESTARTS = 3;
    private static final String COLUMNS = "seq, at, actor, tenant, verb, resource, outcome, source, detail, prev_hash, hash";
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.audit");

    private final GroundDatabase db;
    private final Clock clock;
    private final AuditRetention retention;
    private final boolean automatic;
    /**
     * Appends and prune batches of this process take turns here, first come first served, before they contend for
     * the head row with other processes: SQLite's busy handler is not fair (a writer that keeps losing the race
     * for the database's lock was seen waiting 9 s among four threads), and on PostgreSQL this saves connections
     * from waiting on the row lock.
     */
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AtomicInteger sincePrune = new AtomicInteger();
    /** Retention runs asked for and not yet started over: above zero while a run is under way. */
    private final AtomicInteger pruneRequests = new AtomicInteger();
    private volatile Instant nextPrune; // null: retention runs after the first append

    /** A log that applies {@code retention} (null: {@link AuditRetention#DEFAULT}) on its own, now and then after appends. */
    public AuditLog(GroundDatabase db, Clock clock, AuditRetention retention) {
        this(db, clock, retention, true);
    }

    /** With {@code automatic} false, retention runs only when {@link #prune()} is called (tests, benchmarks). */
    AuditLog(GroundDatabase db, Clock clock, AuditRetention retention, boolean automatic) {
        this.db = db;
        this.clock = clock;
        this.retention = retention == null ? AuditRetention.DEFAULT : retention;
        this.automatic = automatic;
    }

    public AuditRetention retention() { return retention; }

    /**
     * Appends {@code entry} at the end of the chain, stamped with this log's clock, once it is stored (committed).
     * Retention runs now and then afterwards, on a thread of its own.
     *
     * @throws io.orchide.ground.store.DatabaseUnavailable when the database cannot be reached: nothing was appended
     */
    public AuditRecord append(AuditEntry entry) {
        AuditRecord r = inTurn(() -> db.tx(c -> {
            Head h = lockHead(c);
            long seq = h.seq() + 1;
            Instant now = Instant.ofEpochMilli(clock.millis()); // stored and hashed at millisecond precision
            String hash = AuditChain.hash(seq, now, entry, h.hash());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                Sql.bind(ps, seq, now, entry.actor(), entry.tenant(), entry.verb(), entry.resource(),
                        entry.outcome().wire(), entry.source(), entry.detail(), h.hash(), hash);
                ps.executeUpdate();
            }
            Sql.update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash);
            return new AuditRecord(seq, now, entry, h.hash(), hash);
        }));
        pruneNowAndThen();
        return r;
    }

    /**
     * Appends {@code entries}, in their order, at the end of the chain in ONE transaction (group commit: a writer that
     * gathered what waited while the last transaction ran), all stamped with the same time. The chain stays one line:
     * the head is locked once and each entry is chained to the one before it. Either all are stored or none.
     *
     * @throws io.orchide.ground.store.DatabaseUnavailable when the database cannot be reached: nothing was appended
     */
    public List<AuditRecord> appendAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) return List.of();
        List<AuditRecord> out = inTurn(() -> db.tx(c -> {
            Head h = lockHead(c);
            Instant now = Instant.ofEpochMilli(clock.millis()); // stored and hashed at millisecond precision
            List<AuditRecord> records = new ArrayList<>(entries.size());
            long seq = h.seq();
            String prev = h.hash();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                for (AuditEntry entry : entries) {
                    seq++;
                    String hash = AuditChain.hash(seq, now, entry, prev);
                    Sql.bind(ps, seq, now, entry.actor(), entry.tenant(), entry.verb(), entry.resource(),
                            entry.outcome().wire(), entry.source(), entry.detail(), prev, hash);
                    ps.addBatch();
                    records.add(new AuditRecord(seq, now, entry, prev, hash));
                    prev = hash;
                }
                ps.executeBatch();
            }
            Sql.update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prev);
            return records;
        }));
        for (int i = 1; i < out.size(); i++) sincePrune.incrementAndGet(); // the last one is counted by pruneNowAndThen
        pruneNowAndThen();
        return out;
    }

    private <T> T inTurn(java.util.function.Supplier<T> work) {
        turn.lock();
        try {
            return work.get();
        } finally {
            turn.unlock();
        }
    }

    /** The head row as it is now. */
    public Head head() {
        return db.read(AuditLog::readHead);
    }

    /** The entries {@code q} selects, newest first (highest sequence number first). */
    public List<AuditRecord> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_entry WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.before() != null) {
            sql.append(" AND seq < ?");
            args.add(q.before());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(q.since());
        }
        if (q.tenant() != null) {
            sql.append(" AND tenant = ?");
            args.add(q.tenant());
        }
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome().wire());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(q.limit());
        return db.read(c -> {
            List<AuditRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(record(Row.of(rs)));
                }
            }
            return out;
        });
    }

    /**
     * Walks the chain from the anchor to the head and reports the first broken link: an entry missing after the
     * anchor (deleted), one whose hash does not match its content (edited), one whose hash no longer matches what the
     * next entry or the head was chained to (edited and its hash recomputed), or one the chain does not account for
     * (inserted before the anchor or past the head). Reads page by page without holding the head, so appends go on;
     * a prune that moves the anchor meanwhile starts the walk again.
     */
    public Verification verify() {
        for (int attempt = 0; ; attempt++) {
            Verification v = walk();
            if (v != null) return v;
            if (attempt >= VERIFY_RESTARTS) {
                throw new StoreException("the audit log was pruned " + VERIFY_RESTARTS
                        + " times while it was being verified; try again", null);
            }
        }
    }

    /** One walk; null when the anchor moved under it (a concurrent prune). */
    private Verification walk() {
        Head h = head();
        long checked = 0;
        String prev = h.anchorHash();
        long expected = h.anchorSeq() + 1;
        Long early = db.read(c -> single(c, "SELECT MIN(seq) FROM audit_entry WHERE seq <= ?", h.anchorSeq()));
        if (early != null) {
            return broken(h, checked, Verification.Kind.INSERTED, early, "entry " + early + " is at or before the "
                    + "anchor: retention pruned every entry up to " + h.anchorSeq() + ", so it was inserted since");
        }
        while (expected <= h.seq()) {
            long from = expected;
            List<Row> page = db.read(c -> {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                    Sql.bind(ps, from, h.seq(), VERIFY_PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) rows.add(Row.of(rs));
                    }
                }
                return rows;
            });
            if (page.isEmpty()) return missing(h, checked, expected, "none follows it up to the head, " + h.seq());
            for (Row r : page) {
                if (r.seq() != expected) return missing(h, checked, expected, "the next is " + r.seq());
                if (!java.util.Objects.equals(r.hash(), r.computedHash())) {
                    return broken(h, checked, Verification.Kind.ALTERED, r.seq(), "entry " + r.seq()
                            + " was altered: its content no longer matches its hash");
                }
                if (!prev.equals(r.prevHash())) {
                    return expected == h.anchorSeq() + 1
                            ? broken(h, checked, Verification.Kind.ALTERED, r.seq(), "entry " + r.seq()
                            + " does not chain to the anchor (the last entry pruned, " + h.anchorSeq() + "): it or the anchor was altered")
                            : broken(h, checked, Verification.Kind.ALTERED, r.seq() - 1, "entry " + (r.seq() - 1)
                            + " was altered and its hash recomputed: entry " + r.seq() + " was chained to another hash");
                }
                prev = r.hash();
                expected++;
                checked++;
            }
        }
        if (!prev.equals(h.hash())) {
            return broken(h, checked, Verification.Kind.ALTERED, h.seq(), "entry " + h.seq() + " was altered and its "
                    + "hash recomputed: the head records another hash for it");
        }
        // an entry is committed with the head that counts it: read the entries first, then the head
        Long past = db.read(c -> single(c, "SELECT MAX(seq) FROM audit_entry"));
        Head now = head();
        if (past != null && past > now.seq()) {
            long first = db.read(c -> single(c, "SELECT MIN(seq) FROM audit_entry WHERE seq > ?", now.seq()));
            return broken(h, checked, Verification.Kind.INSERTED, first, "entry " + first + " is past the head ("
                    + now.seq() + "): it was inserted, not appended");
        }
        return new Verification(checked, h.anchorSeq(), h.anchorHash(), h.seq(), h.hash(), null);
    }

    /** Entry {@code seq} is not there: deleted, unless a prune moved the anchor past it meanwhile (then null). */
    private Verification missing(Head h, long checked, long seq, String next) {
        if (head().anchorSeq() != h.anchorSeq()) return null;
        return broken(h, checked, Verification.Kind.MISSING, seq, "entry " + seq + " is missing (" + next
                + "; retention pruned up to " + h.anchorSeq() + "): it was deleted");
    }

    private static Verification broken(Head h, long checked, Verification.Kind kind, long seq, String message) {
        return new Verification(checked, h.anchorSeq(), h.anchorHash(), h.seq(), h.hash(),
                new Verification.Break(kind, seq, message));
    }

    /** What one run of retention did: how many entries it removed, and the anchor it left. */
    public record Pruned(long entries, long anchorSeq, String anchorHash) {
    }

    /**
     * Removes the oldest entries beyond {@link AuditRetention#maxEntries()} and those older than
     * {@link AuditRetention#maxAge()}, a batch per transaction, moving the anchor to the last one removed. It never
     * removes past a missing entry: that gap stays for {@link #verify()} to name, and the log says so.
     */
    public Pruned prune() {
        long total = 0;
        while (true) {
            long cutoff = clock.instant().minus(retention.maxAge()).toEpochMilli();
            long n = inTurn(() -> db.tx(c -> pruneBatch(c, cutoff)));
            total += n;
            if (n == 0) break;
        }
        Head h = head();
        return new Pruned(total, h.anchorSeq(), h.anchorHash());
    }

    private long pruneBatch(Connection c, long cutoffMillis) throws SQLException {
        Head h = lockHead(c);
        long bySize = h.seq() - retention.maxEntries();
        Long byAge = single(c, "SELECT MAX(seq) FROM audit_entry WHERE at < ? AND seq > ?", cutoffMillis, h.anchorSeq());
        long target = Math.min(Math.max(bySize, byAge == null ? 0 : byAge), h.anchorSeq() + PRUNE_BATCH);
        if (target <= h.anchorSeq()) return 0;
        Long present = single(c, "SELECT COUNT(*) FROM audit_entry WHERE seq > ? AND seq <= ?", h.anchorSeq(), target);
        if (present == null || present != target - h.anchorSeq()) {
            long missing = firstMissing(c, h.anchorSeq(), target);
            LOG.log(System.Logger.Level.WARNING, "audit entry {0} is missing: retention keeps the entries from there "
                    + "on (the log grows past its bounds) until it is looked into (GET /api/v1/audit/verify)", missing);
            target = missing - 1;
            if (target <= h.anchorSeq()) return 0;
        }
        String hash;
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_entry WHERE seq = ?")) {
            Sql.bind(ps, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                hash = rs.getString(1);
            }
        }
        Sql.update(c, "DELETE FROM audit_entry WHERE seq > ? AND seq <= ?", h.anchorSeq(), target);
        Sql.update(c, "UPDATE audit_head SET anchor_seq = ?, anchor_hash = ?, pruned_at = ? WHERE id = 1", target,
                hash, Instant.ofEpochMilli(clock.millis()));
        return target - h.anchorSeq();
    }

    private static long firstMissing(Connection c, long after, long upTo) throws SQLException {
        long expected = after + 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            Sql.bind(ps, after, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && rs.getLong(1) == expected) expected++;
            }
        }
        return expected;
    }

    /**
     * Starts retention on a thread of its own every {@link #PRUNE_EVERY} appends or {@link #PRUNE_INTERVAL}. One run
     * at a time; one asked for while a run is under way makes that run go round once more, so every request is
     * followed by a run that began after it.
     */
    private void pruneNowAndThen() {
        if (!automatic) return;
        Instant now = clock.instant();
        Instant next = nextPrune;
        if (sincePrune.incrementAndGet() < PRUNE_EVERY && next != null && now.isBefore(next)) return;
        sincePrune.set(0);
        nextPrune = now.plus(PRUNE_INTERVAL);
        if (pruneRequests.getAndIncrement() > 0) return;
        Thread.ofVirtual().name("audit-retention").start(() -> {
            int seen;
            do {
                seen = pruneRequests.get();
                try {
                    Pruned p = prune();
                    if (p.entries() > 0) {
                        LOG.log(System.Logger.Level.DEBUG, "audit retention removed {0} entries; anchor now {1}",
                                p.entries(), p.anchorSeq());
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "audit retention did not run: " + e.getMessage());
                }
            } while (!pruneRequests.compareAndSet(seen, 0));
        });
    }

    /**
     * The head row, locked until the transaction ends: what serialises appends and prunes across threads and
     * replicas. SQLite has no row locks and ground's transactions begin deferred (see {@link GroundDatabase}), so a
     * write to the head comes first: it takes the database's write lock (waiting out the busy timeout for another
     * writer) before anything is read, which is what {@code BEGIN IMMEDIATE} would do.
     */
    private Head lockHead(Connection c) throws SQLException {
        if (db.dialect() == Dialect.SQLITE) {
            Sql.update(c, "UPDATE audit_head SET seq = seq WHERE id = 1");
            return readHead(c, "");
        }
        return readHead(c, " FOR UPDATE");
    }

    private static Head readHead(Connection c) throws SQLException {
        return readHead(c, "");
    }

    private static Head readHead(Connection c, String suffix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, hash, anchor_seq, anchor_hash, pruned_at FROM audit_head WHERE id = 1" + suffix);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("audit_head has no row: the audit log's head was deleted");
            return new Head(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), Sql.instant(rs, "pruned_at"));
        }
    }

    private static Long single(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    private static AuditRecord record(Row r) {
        try {
            return new AuditRecord(r.seq(), Instant.ofEpochMilli(r.at()), new AuditEntry(r.actor(), r.tenant(), r.verb(),
                    r.resource(), Outcome.parse(r.outcome()), r.source(), r.detail()), r.prevHash(), r.hash());
        } catch (IllegalArgumentException e) {
            throw new StoreException("audit entry " + r.seq() + " cannot be read (" + e.getMessage()
                    + "): it was altered; GET /api/v1/audit/verify says where the chain breaks", e);
        }
    }

    /** A row as stored, unchecked: what verification hashes. */
    private record Row(long seq, long at, String actor, String tenant, String verb, String resource, String outcome,
                       String source, String detail, String prevHash, String hash) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
        }

        /** The hash this row's content gives; null when its previous hash is not even a hash. */
        String computedHash() {
            if (!AuditChain.wellFormed(prevHash)) return null;
            return AuditChain.hash(seq, at, actor, tenant, verb, resource, outcome, source, detail, prevHash);
        }
    }
}
