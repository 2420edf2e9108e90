package io.orchide.bench;

import io.orchide.ground.audit.AuditEntry;
import io.orchide.ground.audit.AuditLog;
import io.orchide.ground.audit.Outcome;
import io.orchide.ground.audit.Verification;
import io.orchide.ground.store.GroundDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What the audit log costs: the time of one {@link AuditLog#append} (committed, the chain extended under the head
 * row's lock), p50/p99, from one writer and from {@code bench.writers} (4) writers at once, on ground's SQLite (WAL,
 * synchronous=FULL) and on Debian's PostgreSQL server (default settings, fsync on), each in the same run; and the
 * log's growth in bytes per 1,000 entries (database size before and after, SQLite checkpointed). The entries look like
 * a request's: a developer reading a satellite's workloads, one in ten denied with a reason. {@code bench.entries}
 * (4,000) appends per phase after {@code bench.warmup} (500).
 */
public final class AuditBench {
    private static final int ENTRIES = Integer.getInteger("bench.entries", 4000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 500);
    private static final int WRITERS = Integer.getInteger("bench.writers", 4);

    private AuditBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("audit-bench");
        try (GroundDatabase db = GroundDatabase.sqlite(dir)) {
            run("SQLite, WAL, synchronous=FULL", db, () -> sqliteBytes(db));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (ScratchPostgres pg = ScratchPostgres.start(); GroundDatabase db = GroundDatabase.postgres(pg.newDatabase("audit"), 10)) {
            run("PostgreSQL " + pg.version + " (Debian, default settings: fsync on), pool of 10", db, () -> pgBytes(db));
        }
    }

    interface Size {
        long bytes() throws Exception;
    }

    static void run(String store, GroundDatabase db, Size size) throws Exception {
        System.out.println("== " + store);
        AuditLog log = new AuditLog(db, Clock.systemUTC(), null);
        for (int i = 0; i < WARMUP; i++) log.append(entry(i));
        long before = size.bytes();
        long[] one = new long[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            long t = System.nanoTime();
            log.append(entry(i));
            one[i] = System.nanoTime() - t;
        }
        long after = size.bytes();
        report("append, 1 writer", one);
        System.out.printf("growth: %,d bytes per 1,000 entries (database %,d -> %,d bytes over %,d entries)%n",
                (after - before) * 1000 / ENTRIES, before, after, ENTRIES);

        long[][] per = new long[WRITERS][ENTRIES / WRITERS];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long[] mine = per[w];
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < mine.length; i++) {
                        long t = System.nanoTime();
                        log.append(entry(writer * mine.length + i));
                        mine[i] = System.nanoTime() - t;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] all = Arrays.stream(per).flatMapToLong(Arrays::stream).toArray();
        report("append, " + WRITERS + " writers at once", all);
        System.out.printf("  %,.0f appends/s together%n", all.length / seconds);

        long v0 = System.nanoTime();
        Verification v = log.verify();
        System.out.printf("verify: %,d entries in %.0f ms, intact %s%n", v.checked(), (System.nanoTime() - v0) / 1e6, v.intact());
    }

    static AuditEntry entry(int i) {
        boolean denied = i % 10 == 9;
        return new AuditEntry("dev-ocean-" + (i % 7), "ocean-team", "get",
                "satellites/sat-" + String.format("%04d", i % 1000) + "/workloads",
                denied ? Outcome.DENIED : Outcome.ALLOWED, "10.1." + (i % 250) + "." + (i % 200),
                denied ? "developer of ocean-team may not get workloads of fire-team" : null);
    }

    static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: n=%,d p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, s.length, s[s.length / 2] / 1e6,
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6, s[s.length - 1] / 1e6);
    }

    /** The main file's size once the WAL is checkpointed into it: what the entries take at rest. */
    static long sqliteBytes(GroundDatabase db) {
        return db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    long pages = rs.getLong(1);
                    try (ResultSet ps = s.executeQuery("PRAGMA page_size")) {
                        ps.next();
                        return pages * ps.getLong(1);
                    }
                }
            }
        });
    }

    static long pgBytes(GroundDatabase db) {
        return db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
                try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
