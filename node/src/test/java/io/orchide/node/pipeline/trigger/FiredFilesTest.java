package io.orchide.node.pipeline.trigger;

import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FiredFilesTest {
    @TempDir
    Path tmp;

    @Test
    void theLedgerRowAndTheSubscribersRowCommitTogetherOrNotAtAll() throws Exception {
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(tmp)); FiredFiles ledger = FiredFiles.open(nodeDb, Clock.systemUTC())) {
            Database db = nodeDb.writer();
            db.connection().createStatement().execute("CREATE TABLE probe_run (path TEXT)");
            DataEvent e = new DataEvent("p", tmp.resolve("a.dat"), 3, Instant.parse("2026-11-26T10:00:00.123456789Z"));
            AtomicInteger calls = new AtomicInteger();
            DataSubscriber failing = (ev, tx) -> {
                calls.incrementAndGet();
                tx.createStatement().execute("INSERT INTO probe_run VALUES ('" + ev.path() + "')");
                throw new IllegalStateException("crash after storing the run");
            };
            assertThatThrownBy(() -> ledger.fire(e, failing)).hasMessageContaining("crash");
            assertThat(count(db, "probe_run")).isZero();
            assertThat(count(db, "fired_file")).isZero();

            DataSubscriber ok = (ev, tx) -> {
                calls.incrementAndGet();
                tx.createStatement().execute("INSERT INTO probe_run VALUES ('" + ev.path() + "')");
            };
            assertThat(ledger.fire(e, ok)).isTrue();
            assertThat(ledger.fire(e, ok)).isFalse();
            assertThat(calls).hasValue(2);
            assertThat(count(db, "probe_run")).isEqualTo(1);
            assertThat(ledger.fired("p", tmp)).containsExactly(e);
        }
    }

    @Test
    void filesFiredTogetherCommitInOneTransactionOrNotAtAllAndOnesAlreadyFiredAreLeftOut() throws Exception {
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(tmp));
             FiredFiles ledger = FiredFiles.open(nodeDb, Clock.systemUTC())) {
            Database db = nodeDb.writer();
            db.connection().createStatement().execute("CREATE TABLE probe_run (path TEXT)");
            DataEvent a = new DataEvent("p", tmp.resolve("a.dat"), 1, Instant.EPOCH);
            DataEvent b = new DataEvent("p", tmp.resolve("b.dat"), 1, Instant.EPOCH);
            DataEvent c = new DataEvent("p", tmp.resolve("c.dat"), 1, Instant.EPOCH);
            DataSubscriber store = (ev, tx) -> {
                tx.createStatement().execute("INSERT INTO probe_run VALUES ('" + ev.path() + "')");
                if (ev.path().endsWith("c.dat")) throw new IllegalStateException("crash at the third file");
            };
            assertThatThrownBy(() -> ledger.fireAll(List.of(a, b, c), store)).hasMessageContaining("third");
            assertThat(count(db, "probe_run")).isZero();
            assertThat(count(db, "fired_file")).isZero();

            assertThat(ledger.fire(a, (ev, tx) -> { })).isTrue();
            DataSubscriber ok = (ev, tx) -> tx.createStatement().execute("INSERT INTO probe_run VALUES ('"
                    + ev.path() + "')");
            assertThat(ledger.fireAll(List.of(a, b, c), ok)).containsExactly(b, c);
            assertThat(count(db, "probe_run")).isEqualTo(2);
            assertThat(ledger.fired("p", tmp)).containsExactlyInAnyOrder(a, b, c);
        }
    }

    @Test
    void pruneForgetsFilesThatAreGoneOrChanged() throws Exception {
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(tmp)); FiredFiles ledger = FiredFiles.open(nodeDb, Clock.systemUTC())) {
            Database db = nodeDb.writer();
            Path kept = Files.writeString(tmp.resolve("kept.dat"), "k");
            DataEvent keptEvent = PendingFiles.Attrs.of(kept).event("p", kept);
            DataEvent gone = new DataEvent("p", tmp.resolve("gone.dat"), 1, Instant.EPOCH);
            ledger.fire(keptEvent, (ev, tx) -> { });
            ledger.fire(gone, (ev, tx) -> { });
            assertThat(ledger.prune("p", tmp)).containsExactly(gone);
            assertThat(ledger.fired("p", tmp)).containsExactly(keptEvent);
        }
    }

    @Test
    void aFiringQueuesBehindTheEnginesOpenBatchOnTheWriteGateAndCommitsAsSoonAsTheBatchEnds() throws Exception {
        try (NodeDatabase nodeDb = NodeDatabase.open(NodeLayout.of(tmp));
             FiredFiles ledger = FiredFiles.open(nodeDb, Clock.systemUTC())) {
            PipelineStore engineStore = new PipelineStore(nodeDb.engine());
            DataEvent e = new DataEvent("p", tmp.resolve("a.dat"), 3, Instant.EPOCH);
            engineStore.beginBatch();
            CompletableFuture<Boolean> fired = CompletableFuture.supplyAsync(() -> {
                try {
                    return ledger.fire(e, (ev, tx) -> { });
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            });
            // waiting on the gate, not in SQLite's busy wait on the engine's write lock
            await().atMost(Duration.ofSeconds(30)).until(() -> nodeDb.writeGate().hasQueuedThreads());
            assertThat(fired).isNotDone();
            assertThat(count(nodeDb.writer(), "fired_file")).isZero();

            engineStore.endBatch();
            assertThat(fired.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(count(nodeDb.writer(), "fired_file")).isEqualTo(1);
        }
    }

    private static int count(Database db, String table) throws Exception {
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.getInt(1);
        }
    }
}
