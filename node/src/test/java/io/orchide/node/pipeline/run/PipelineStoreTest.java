package io.orchide.node.pipeline.run;

import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunQueueStore;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineStoreTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final String YAML = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: scan}
            spec:
              priority: 70
              steps:
                - name: only
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
            """;

    @TempDir
    Path tmp;
    Database db;
    PipelineStore store;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private NewRun newRun(long version, String pipeline) {
        return new NewRun(pipeline, version, 70, T0.plus(Duration.ofHours(1)), RunOrigin.manual(Path.of("/data/a.pgm")),
                T0, new Amount(1, 32), true);
    }

    @Test
    void aBatchCommittedBeforeAMonitorStartsLeavesTheWriteLockToTheAgentsOtherConnections() throws Exception {
        long v = store.putPipeline(Manifests.parsePipeline(YAML, Arch.X86_64), T0);
        store.beginBatch();
        long id = store.createRun(newRun(v, "scan")).runId();
        store.commit(); // the engine's batch, before it starts a monitor (which may take seconds)
        try (Database other = Database.open(tmp.resolve("node.db"))) {
            long began = System.nanoTime();
            new io.orchide.node.store.NodeStore(other).addEvent("w", T0, "Running", "meanwhile, another writer");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(Database.BUSY_TIMEOUT_MS));
        }
        store.runStarted(id, T0.plusSeconds(1)); // the rest of the batch still goes in
        store.endBatch();
        assertThat(store.run(id).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aRunIsStoredWithItsQueueEntryAndItsIdIsItsArrival() throws Exception {
        Pipeline p = Manifests.parsePipeline(YAML, Arch.X86_64);
        long v = store.putPipeline(p, T0);
        QueuedRun q = store.createRun(newRun(v, "scan"));
        assertThat(q.sequence()).isEqualTo(q.runId());
        PipelineRun r = store.run(q.runId()).orElseThrow();
        assertThat(r.name()).isEqualTo("scan-" + String.format("%06d", q.runId()));
        assertThat(PipelineRun.idOf(r.name())).isEqualTo(r.id());
        assertThat(r.state()).isEqualTo(RunState.QUEUED);
        assertThat(r.origin().file()).isEqualTo(Path.of("/data/a.pgm"));
        assertThat(store.version(r.versionId())).isEqualTo(p);
        assertThat(new RunQueueStore(db).load()).containsExactly(q);
    }

    @Test
    void aRolledBackTriggerTransactionLeavesNoRun() throws Exception {
        long v = store.putPipeline(Manifests.parsePipeline(YAML, Arch.X86_64), T0);
        try (Database other = Database.open(tmp.resolve("node.db"))) {
            Connection tx = other.connection();
            tx.setAutoCommit(false);
            PipelineStore.createRun(tx, newRun(v, "scan"));
            tx.rollback();
        }
        assertThat(store.runs(null, null, 10)).isEmpty();
        assertThat(new RunQueueStore(db).load()).isEmpty();
    }

    @Test
    void theRunsARunsEndStartsAreStoredWithTheEnd() throws Exception {
        long v = store.putPipeline(Manifests.parsePipeline(YAML, Arch.X86_64), T0);
        QueuedRun first = store.createRun(newRun(v, "scan"));
        store.runStarted(first.runId(), T0);
        store.runEnded(first.runId(), RunState.SUCCEEDED, null, T0.plusSeconds(5), List.of(newRun(v, "scan")));
        List<PipelineRun> runs = store.runs("scan", null, 10);
        assertThat(runs).extracting(PipelineRun::state).containsExactly(RunState.QUEUED, RunState.SUCCEEDED);
        assertThat(store.runCounts("scan")).containsEntry(RunState.SUCCEEDED, 1).containsEntry(RunState.QUEUED, 1);
        assertThat(store.maxRunId()).isEqualTo(runs.get(0).id());
    }

    @Test
    void attemptsResultsAndProductsRoundTrip() throws Exception {
        long v = store.putPipeline(Manifests.parsePipeline(YAML, Arch.X86_64), T0);
        long id = store.createRun(newRun(v, "scan")).runId();
        StepAttempt a = new StepAttempt(id, "only", 3, 1, StepState.RUNNING, tmp.resolve("r"), null, null, null, T0, null);
        store.attemptStarted(a);
        store.attemptPid(a, 4242);
        store.attemptEnded(a.ended(StepState.FAILED, 2, "exited 2", T0.plusSeconds(1)));
        StepAttempt back = store.attempts(id).get(0);
        assertThat(back.item()).isEqualTo(3);
        assertThat(back.monitorPid()).isEqualTo(4242L);
        assertThat(back.state()).isEqualTo(StepState.FAILED);
        assertThat(back.exitCode()).isEqualTo(2);
        store.putResult(new StepResult(id, "only", StepState.FAILED, 4, "exited 2", T0));
        assertThat(store.results(id).get("only").items()).isEqualTo(4);

        ProductRecord p = new ProductRecord(0, id, "scan", "only", null, "out", tmp.resolve("o"), 10, "ab",
                80, Duration.ofDays(7), T0.plus(Duration.ofDays(7)), "sha256:ff", Map.of("scene", "a.pgm sha256:01"),
                "outbox", T0);
        long pid = store.putProduct(p);
        assertThat(store.putProduct(p)).isEqualTo(pid); // recorded once, even when the step's end is handled twice
        ProductRecord stored = store.products(id).get(0);
        assertThat(stored.inputs()).containsEntry("scene", "a.pgm sha256:01");
        assertThat(stored.item()).isNull();
        assertThat(stored.runName()).isEqualTo(PipelineRun.name("scan", id));
    }
}
