package io.orchide.node.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commits that do not wait for the disk: what they keep through a crash, and that the log is synced after them. */
class WrittenTransactionTest {
    @TempDir
    Path dir;
    private Database db;

    @AfterEach
    void close() throws SQLException {
        if (db != null) db.close();
    }

    private static void insert(Database db, String value) {
        synchronized (db.lock()) {
            db.inWrittenTransaction(() -> {
                try (PreparedStatement ps = db.connection().prepareStatement("INSERT INTO grant_use(grant_name, at) VALUES (?, 1)")) {
                    ps.setString(1, value);
                    ps.executeUpdate();
                }
                return null;
            }, "insert " + value);
        }
    }

    private static int rows(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM grant_use")) {
            return rs.getInt(1);
        }
    }

    private static int synchronous(Database db) throws SQLException {
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            return rs.getInt(1);
        }
    }

    @Test
    void aCommitIsReadableAtOnceTheLogIsSyncedAfterItAndTheConnectionGoesBackToFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        Path file = dir.resolve("node.db");
        db = Database.open(file, new ReentrantLock(), log -> {
            assertThat(log.getFileName().toString()).isEqualTo("node.db-wal");
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            syncs.incrementAndGet();
        });

        insert(db, "a");
        // committed while its sync is still held back: another connection reads it
        assertThat(rows(file)).isEqualTo(1);
        assertThat(syncs).hasValue(0);
        assertThat(synchronous(db)).as("FULL again for every other writer").isEqualTo(2);

        release.countDown();
        db.walSync().awaitSynced();
        assertThat(syncs.get()).isPositive();
        long[] counts = db.walSync().counts();
        assertThat(counts[1]).isEqualTo(counts[0]).isEqualTo(1);
    }

    @Test
    void aFailedTransactionLeavesNothingAndTheConnectionAtFull() throws Exception {
        Path file = dir.resolve("node.db");
        db = Database.open(file, new ReentrantLock(), WalSync.FDATASYNC);
        synchronized (db.lock()) {
            assertThatThrownBy(() -> db.inWrittenTransaction(() -> {
                try (Statement s = db.connection().createStatement()) {
                    s.execute("INSERT INTO grant_use(grant_name, at) VALUES ('x', 1)");
                    s.execute("INSERT INTO no_such_table VALUES (1)");
                }
                return null;
            }, "insert x")).isInstanceOf(StoreException.class).hasMessageContaining("insert x");
        }
        assertThat(rows(file)).isZero();
        assertThat(synchronous(db)).isEqualTo(2);
        assertThat(db.walSync().counts()[0]).as("nothing to sync").isZero();
    }

    @Test
    void insideAnOpenBatchTheWorkJoinsItAndTheBatchCommitDecides() throws Exception {
        Path file = dir.resolve("node.db");
        db = Database.open(file, new ReentrantLock(), WalSync.FDATASYNC);
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                insert(db, "in-batch");
                assertThat(synchronous(db)).isEqualTo(2);
                return null;
            }, "batch");
        }
        assertThat(rows(file)).isEqualTo(1);
        assertThat(db.walSync().counts()[0]).isZero();
    }

    @Test
    void closingSyncsWhatIsLeftWithTheRealLog() throws Exception {
        Path file = dir.resolve("node.db");
        db = Database.open(file);
        for (int i = 0; i < 50; i++) insert(db, "g" + i);
        db.close();
        db = null;
        assertThat(rows(file)).isEqualTo(50);
    }

    /** The agent killed right after a written commit, before any sync: a process halted as kill -9 leaves it. */
    @Test
    void aCommitSurvivesTheProcessKilledBeforeItsSync() throws Exception {
        Path file = dir.resolve("node.db");
        Database.open(file).close(); // made and migrated
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HaltAfterWrittenCommit.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(137);
        assertThat(out).contains("written 3");
        assertThat(rows(file)).isEqualTo(3);
    }

    /** Writes three commits whose sync never comes, then halts at once, as kill -9 would end it. */
    static final class HaltAfterWrittenCommit {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(Path.of(args[0]), new ReentrantLock(), log -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 3; i++) insert(db, "k" + i);
            System.out.println("written " + 3);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
