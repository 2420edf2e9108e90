package io.orchide.node.pipeline.run;

import io.orchide.node.layout.NodeLayout;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.attempt.FakeDriver;
import io.orchide.node.attempt.ManualTimers;
import io.orchide.node.attempt.RecordingSupervisor;
import io.orchide.node.image.ContentImages;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import io.orchide.node.store.Database;
import io.orchide.node.workload.Capacity;
import io.orchide.node.workload.Drivers;
import io.orchide.node.workload.Reservations;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.image.ImageResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Step attempts of the pipeline engine on a fake driver, a recording supervisor and a hand-moved clock. */
class RunEngineTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    ManualTimers timers;
    RecordingSupervisor supervisor;
    FakeDriver driver;
    Database db;
    PipelineStore store;
    RunEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        timers = new ManualTimers(T0);
        supervisor = new RecordingSupervisor(timers.clock());
        driver = new FakeDriver();
        Files.writeString(tmp.resolve("k.elf"), "kernel");
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
        Amount capacity = new Amount(4, 4096, 0);
        DurableRunQueue queue = DurableRunQueue.open(db, timers.clock(),
                RunQueueConfig.DEFAULTS.withNodeCapacity(capacity));
        WorkloadLauncher launcher = new WorkloadLauncher(new Drivers(List.of(driver)), supervisor, new ImageResolver(),
                new ContentImages(NodeLayout.of(tmp).images()), NodeLayout.of(tmp));
        engine = new RunEngine(store, queue, launcher, supervisor, new StepApps(n -> Optional.empty()),
                new Reservations(), () -> new Capacity(4, 4096), capacity, name -> 1,
                new Outbox(NodeLayout.of(tmp).outbox(), store, timers.clock()), timers.clock(), NodeLayout.of(tmp).pipelineRuns(),
                NodeLayout.of(tmp).workspaces(), timers);
        supervisor.onExit(engine::exited);
        engine.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        db.close();
    }

    /** Moves the clock on the engine's loop, where its timers run. */
    void advance(Duration d) {
        engine.onEngine(() -> {
            timers.advance(d);
            return null;
        });
    }

    PipelineRun submit(String yaml) throws Exception {
        Pipeline p = Manifests.parsePipeline(yaml.formatted(tmp.resolve("k.elf")), Arch.X86_64);
        long version = store.putPipeline(p, T0);
        return engine.submit(new NewRun(p.name(), version, 50, null, RunOrigin.manual(null), T0,
                new Amount(1, 32, 0), false));
    }

    List<StepAttempt> attempts(PipelineRun run) {
        return engine.onEngine(() -> store.attempts(run.id()));
    }

    void exit(StepAttempt a, int code) {
        engine.exited(a.runDir(), new RawExit(code, 0, timers.clock().instant()));
        engine.onEngine(() -> null);
    }

    @Test
    void aStepsTimeoutFiresOnTheClockFailsTheAttemptWithoutAnExitCodeAndIsRetriedAfterItsBackoff() throws Exception {
        PipelineRun run = submit("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: slow}
                spec:
                  steps:
                    - name: crunch
                      timeout: 20s
                      retries: {limit: 1, backoff: 5s}
                      template:
                        image: %s
                        runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                        resources: {vcpus: 1, memoryMiB: 32}
                """);
        assertThat(supervisor.calls).containsExactly("start 1");

        advance(Duration.ofSeconds(19));
        assertThat(driver.calls).noneMatch(c -> c.startsWith("requestStop"));
        advance(Duration.ofSeconds(1));
        assertThat(driver.calls).contains("requestStop 100");

        exit(attempts(run).getFirst(), 0);
        StepAttempt first = attempts(run).getFirst();
        assertThat(first.state()).isEqualTo(StepState.FAILED);
        assertThat(first.message()).isEqualTo("timed out after 20s; retry 1 of 1 in 5s");
        assertThat(first.exitCode()).isNull();

        advance(Duration.ofMillis(4_999));
        assertThat(supervisor.calls).hasSize(1);
        advance(Duration.ofMillis(2));
        assertThat(supervisor.calls).containsExactly("start 1", "start 2");

        exit(attempts(run).getLast(), 83);
        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void aCancelledRunStopsItsStepWithEscalationAndRecordsItCancelled() throws Exception {
        PipelineRun run = submit("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: long}
                spec:
                  steps:
                    - name: wait
                      template:
                        image: %s
                        runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                        resources: {vcpus: 1, memoryMiB: 32}
                """);
        engine.cancel(run.id());
        assertThat(driver.calls).contains("requestStop 100");
        advance(Duration.ofSeconds(10));
        assertThat(driver.calls).contains("kill 100");
        advance(Duration.ofSeconds(5));
        assertThat(supervisor.calls).contains("signal 9 100");

        exit(attempts(run).getFirst(), 0);
        assertThat(attempts(run).getFirst().state()).isEqualTo(StepState.CANCELLED);
        assertThat(attempts(run).getFirst().exitCode()).isNull();
        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.CANCELLED);
    }
}
