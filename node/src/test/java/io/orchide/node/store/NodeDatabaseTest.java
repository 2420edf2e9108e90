package io.orchide.node.store;

import io.orchide.node.layout.NodeLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NodeDatabaseTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aWriteFromAnotherThreadIsNeverTakenIntoATransactionThatRollsBack() throws Exception {
        try (NodeDatabase db = NodeDatabase.open(NodeLayout.of(tmp))) {
            NodeStore workloads = new NodeStore(db.writer());
            NodeStore other = new NodeStore(db.writer()); // a second user of the shared writer, as the link's ledger is
            AtomicReference<Thread> writer = new AtomicReference<>();
            assertThatThrownBy(() -> workloads.atomically(() -> {
                workloads.addEvent("a", T0, "Running", "inside the transaction");
                Thread t = Thread.ofPlatform().start(() -> other.addEvent("b", T0, "Running", "from another thread"));
                writer.set(t);
                // the other thread either waits for this transaction or (unguarded) has written into it
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> t.getState() == Thread.State.BLOCKED || !t.isAlive());
                throw new IllegalStateException("the transaction fails");
            })).hasMessageContaining("the transaction fails");
            writer.get().join();
            assertThat(workloads.events("a", 10)).isEmpty();
            assertThat(workloads.events("b", 10)).extracting(EventRecord::message).containsExactly("from another thread");
        }
    }

    @Test
    void everyConnectionSeesTheOneMigratedFileAndClosesWithItsOwner() throws Exception {
        Connection ledger;
        try (NodeDatabase db = NodeDatabase.open(NodeLayout.of(tmp))) {
            new NodeStore(db.writer()).addEvent("a", T0, "Running", "written once");
            ledger = db.ledger("test");
            for (Connection c : new Connection[]{db.engine().connection(), db.products().connection(), ledger}) {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM event")) {
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            assertThat(db.engine().file()).isEqualTo(tmp.resolve("node.db").toAbsolutePath());
        }
        assertThat(ledger.isClosed()).isTrue();
    }
}
