package io.orchide.node.pipeline.run;

import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.attempt.ManualTimers;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What recovery makes of runs an agent killed between dispatch and start left queued in the store. */
class RunRecoveryTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Amount CAPACITY = new Amount(4, 4096);

    @TempDir
    Path tmp;
    ManualTimers timers;
    Database db;
    PipelineStore store;
    final List<String> told = new ArrayList<>();

    /** Records what recovery asks of the engine; no run here is running, so only ends are expected. */
    final RunRecovery.Engine engine = new RunRecovery.Engine() {
        @Override public void activate(ActiveRun ar) { told.add("activate " + ar.name()); }

        @Override public boolean decideToRun(ActiveRun ar, Step step) { throw new AssertionError("nothing runs"); }

        @Override
        public Attempt attach(ActiveRun ar, Step step, Instance inst, Path runDir) {
            throw new AssertionError("nothing runs");
        }

        @Override
        public void finish(long runId, RunState state, String reason) {
            told.add("finish " + runId + " " + state + ": " + reason);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        timers = new ManualTimers(T0);
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    DurableRunQueue openQueue() {
        return DurableRunQueue.open(db, timers.clock(), RunQueueConfig.DEFAULTS.withNodeCapacity(CAPACITY));
    }

    long storeRun(Instant deadline) throws Exception {
        Pipeline p = Manifests.parsePipeline("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: scan}
                spec:
                  steps:
                    - name: only
                      template:
                        image: /k.elf
                        runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                        resources: {vcpus: 1, memoryMiB: 32}
                """, Arch.X86_64);
        long version = store.putPipeline(p, T0);
        return store.createRun(new NewRun(p.name(), version, 50, deadline, RunOrigin.manual(null), T0,
                new Amount(1, 32), false)).runId();
    }

    long recover(DurableRunQueue queue) {
        return new RunRecovery(store, queue, new StepApps(n -> Optional.empty()), CAPACITY,
                tmp.resolve("workspaces"), timers.clock()).recover(engine);
    }

    @Test
    void aRunDispatchedButNeverStartedGoesBackToTheQueueAheadOfTheRunsThatCameAfterIt() throws Exception {
        long first = storeRun(null);
        long second = storeRun(null);
        DurableRunQueue before = openQueue();
        before.admitStoredAfter(0);
        assertThat(before.next(CAPACITY)).hasValueSatisfying(d -> assertThat(d.run().runId()).isEqualTo(first));
        // the agent dies here: the run is taken off the stored queue, and the run store still says queued

        DurableRunQueue after = openQueue();
        assertThat(after.snapshot()).extracting(QueuedRun::runId).containsExactly(second);
        assertThat(recover(after)).isEqualTo(second);
        assertThat(after.snapshot()).extracting(QueuedRun::runId).containsExactly(first, second);
        assertThat(after.next(CAPACITY)).hasValueSatisfying(d -> assertThat(d.run().runId()).isEqualTo(first));
        assertThat(told).isEmpty();
        assertThat(store.run(first).orElseThrow().state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void aRunThatExpiredInTheQueueBeforeTheAgentCouldEndItEndsExpiredWithTheRecordedReason() throws Exception {
        long run = storeRun(T0.plusSeconds(60));
        DurableRunQueue before = openQueue();
        before.admitStoredAfter(0);
        timers.advance(Duration.ofSeconds(61));
        String reason = before.expire().getFirst().reason();
        // the agent dies before it records the run's end

        DurableRunQueue after = openQueue();
        recover(after);
        assertThat(told).containsExactly("finish " + run + " " + RunState.EXPIRED + ": " + reason);
        assertThat(after.snapshot()).isEmpty();
    }
}
