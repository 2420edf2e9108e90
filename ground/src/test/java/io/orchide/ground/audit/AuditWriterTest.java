package io.orchide.ground.audit;

import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.ground.store.GroundDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit log's one writer on a real SQLite log: a change's caller returns only once its entry is committed, many
 * at once share transactions and keep one chain; with appends failing (a switch between the writer and the log, as a
 * database outage makes them fail), changes are refused, denials answered and kept, reads queued, and the queue, when
 * full, loses reads' entries first, counted.
 */
class AuditWriterTest {
    @TempDir
    Path tmp;
    GroundDatabase db;
    AuditLog log;
    AuditWriter writer;
    volatile boolean down;
    final AtomicInteger transactions = new AtomicInteger();

    AuditWriter writer(int capacity) {
        db = GroundDatabase.sqlite(tmp);
        log = new AuditLog(db, Clock.systemUTC(), null, false);
        writer = new AuditWriter(entries -> {
            if (down) throw new DatabaseUnavailable("test database", new java.sql.SQLException("connection refused"));
            transactions.incrementAndGet();
            log.appendAll(entries);
        }, capacity);
        return writer;
    }

    @AfterEach
    void close() {
        if (writer != null) writer.close();
        if (db != null) db.close();
    }

    static AuditEntry entry(String actor, String resource) {
        return new AuditEntry(actor, "ocean-team", "delete", resource, Outcome.ALLOWED, "127.0.0.1", null);
    }

    List<String> resources() {
        return log.query(AuditQuery.all(1000)).stream().map(r -> r.entry().resource()).toList().reversed();
    }

    @Test
    void aChangeReturnsOnlyOnceItsEntryIsCommitted() {
        writer(100).record(entry("dev", "pipelines/scan"), AuditWriter.Kind.CHANGE);
        assertThat(resources()).containsExactly("pipelines/scan");
        writer.record(entry("dev", "pipelines/other"), AuditWriter.Kind.DENIAL);
        assertThat(resources()).containsExactly("pipelines/scan", "pipelines/other");
    }

    @Test
    void readsAreWrittenWithoutTheirCallerWaitingInTheOrderTheyCame() {
        writer(100);
        for (int i = 0; i < 50; i++) writer.record(entry("dev", "workloads/w" + i), AuditWriter.Kind.READ);
        await().until(() -> log.head().seq() == 50);
        assertThat(resources()).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "workloads/w" + i).toList());
    }

    @Test
    void manyChangesAtOnceShareTransactionsAndKeepOneChain() throws Exception {
        writer(10_000);
        int threads = 8, each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = "dev-" + t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    writer.record(entry(actor, "apps/a" + i), AuditWriter.Kind.CHANGE);
                    // committed before the next is asked for: this thread's entries are in its order
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) f.get();
        pool.shutdown();

        assertThat(log.head().seq()).isEqualTo(threads * each);
        assertThat(log.verify().broken()).isNull();
        assertThat(transactions.get()).isLessThan(threads * each); // some commits carried several entries
        List<AuditRecord> all = log.query(AuditQuery.all(1000));
        for (int t = 0; t < threads; t++) {
            String actor = "dev-" + t;
            assertThat(all.stream().filter(r -> r.entry().actor().equals(actor)).map(r -> r.entry().resource()).toList().reversed())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each).mapToObj(i -> "apps/a" + i).toList());
        }
    }

    @Test
    void whileAppendsFailAChangeIsRefusedAndDenialsAndReadsAreKeptUntilTheyWork() {
        writer(100);
        down = true;
        writer.record(entry("dev", "workloads/read-1"), AuditWriter.Kind.READ);
        assertThatThrownBy(() -> writer.record(entry("dev", "pipelines/change"), AuditWriter.Kind.CHANGE))
                .isInstanceOf(DatabaseUnavailable.class);
        writer.record(entry("dev", "pipelines/denied"), AuditWriter.Kind.DENIAL); // answered, not hung
        writer.record(entry("dev", "workloads/read-2"), AuditWriter.Kind.READ);
        assertThat(log.head().seq()).isZero();
        assertThat(writer.queued()).isEqualTo(3);

        down = false;
        await().until(() -> log.head().seq() == 3);
        // the refused change left no entry: it was not made
        assertThat(resources()).containsExactly("workloads/read-1", "pipelines/denied", "workloads/read-2");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsReadsFirstThenNewReadsAndDenialsAndRefusesChanges() {
        writer(3);
        down = true;
        writer.record(entry("dev", "workloads/r1"), AuditWriter.Kind.READ);
        writer.record(entry("dev", "workloads/r2"), AuditWriter.Kind.READ);
        writer.record(entry("dev", "pipelines/d1"), AuditWriter.Kind.DENIAL);
        await().until(() -> writer.queued() == 3);
        writer.record(entry("dev", "pipelines/d2"), AuditWriter.Kind.DENIAL); // r1 goes
        writer.record(entry("dev", "pipelines/d3"), AuditWriter.Kind.DENIAL); // r2 goes
        writer.record(entry("dev", "workloads/r3"), AuditWriter.Kind.READ);   // no read left: itself
        writer.record(entry("dev", "pipelines/d4"), AuditWriter.Kind.DENIAL); // itself
        assertThatThrownBy(() -> writer.record(entry("dev", "pipelines/c1"), AuditWriter.Kind.CHANGE))
                .isInstanceOf(AuditWriter.AuditUnavailable.class).hasMessageContaining("queue is full");
        assertThat(writer.dropped()).isEqualTo(4);

        down = false;
        await().until(() -> log.head().seq() == 3);
        assertThat(resources()).containsExactly("pipelines/d1", "pipelines/d2", "pipelines/d3");
    }

    @Test
    void closingWritesWhatIsQueued() {
        writer(100);
        for (int i = 0; i < 20; i++) writer.record(entry("dev", "workloads/w" + i), AuditWriter.Kind.READ);
        writer.close();
        assertThat(log.head().seq()).isEqualTo(20);
        assertThatThrownBy(() -> writer.record(entry("dev", "apps/late"), AuditWriter.Kind.CHANGE))
                .isInstanceOf(AuditWriter.AuditUnavailable.class);
    }
}
