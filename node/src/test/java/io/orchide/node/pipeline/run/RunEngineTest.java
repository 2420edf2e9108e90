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
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        engine = startEngine(supervisor);
    }

    /** An engine on the test's database, as the agent starts one: recovering what an earlier one left. */
    RunEngine startEngine(RecordingSupervisor sup) throws Exception {
        RunEngine e = newEngine(sup, name -> 4);
        e.start();
        return e;
    }

    /** An engine as {@link #startEngine} makes one, with {@code concurrency} per pipeline, not started yet. */
    RunEngine newEngine(RecordingSupervisor sup, java.util.function.Function<String, Integer> concurrency) throws Exception {
        Amount capacity = new Amount(4, 4096);
        DurableRunQueue queue = DurableRunQueue.open(db, timers.clock(),
                RunQueueConfig.DEFAULTS.withNodeCapacity(capacity));
        WorkloadLauncher launcher = new WorkloadLauncher(new Drivers(List.of(driver)), sup, new ImageResolver(),
                new ContentImages(NodeLayout.of(tmp).images()), NodeLayout.of(tmp));
        RunEngine e = new RunEngine(store, queue, launcher, sup, new StepApps(n -> Optional.empty()),
                new Reservations(), () -> new Capacity(4, 4096), capacity, concurrency,
                new Outbox(NodeLayout.of(tmp).outbox(), store, timers.clock()), timers.clock(),
                NodeLayout.of(tmp).pipelineRuns(), NodeLayout.of(tmp).workspaces(), timers);
        sup.onExit(e::exited);
        return e;
    }

    @AfterEach
    void tearDown() throws Exception {
        supervisor.gate.countDown();
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

    static final String ONE_STEP = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: %s}
            spec:
              steps:
                - name: only
                  template:
                    image: %s
                    runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 32}
            """;

    PipelineRun submit(String yaml) throws Exception {
        NewRun r = newRun(yaml.formatted(tmp.resolve("k.elf")));
        return engine.submit(r);
    }

    NewRun newRun(String yaml) throws Exception {
        Pipeline p = Manifests.parsePipeline(yaml, Arch.X86_64);
        long version = store.putPipeline(p, T0);
        return new NewRun(p.name(), version, 50, null, RunOrigin.manual(null), T0, new Amount(1, 32), false);
    }

    /** Stores runs of pipeline {@code name} through a connection of their own, as a trigger does, committed. */
    List<Long> storeRunsAsATrigger(String name, int n) throws Exception {
        NewRun r = newRun(ONE_STEP.formatted(name, tmp.resolve("k.elf")));
        List<Long> ids = new java.util.ArrayList<>();
        try (Database trigger = Database.open(tmp.resolve("node.db"))) {
            PipelineStore s = new PipelineStore(trigger);
            for (int i = 0; i < n; i++) ids.add(s.createRun(r).runId());
        }
        return ids;
    }

    List<StepAttempt> attempts(PipelineRun run) {
        return attempts(run.id());
    }

    List<StepAttempt> attempts(long runId) {
        return engine.onEngine(() -> store.attempts(runId));
    }

    /** Waits until attempt {@code n} of the run's only step has its monitor, known on the engine's loop. */
    StepAttempt awaitMonitor(long runId, int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<StepAttempt> as = attempts(runId);
            return as.size() == n && as.getLast().monitorPid() != null;
        });
        return attempts(runId).getLast();
    }

    void exit(StepAttempt a, int code) {
        engine.exited(a.runDir(), new RawExit(code, 0, timers.clock().instant()));
        engine.onEngine(() -> null);
    }

    /** The attempts of a run as another connection sees them: what is committed. */
    List<StepAttempt> committedAttempts(long runId) throws Exception {
        try (Database reader = Database.open(tmp.resolve("node.db"))) {
            return new PipelineStore(reader).attempts(runId);
        }
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
        awaitMonitor(run.id(), 1);
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
        awaitMonitor(run.id(), 2);
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
        awaitMonitor(run.id(), 1);
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

    @Test
    void runsDispatchedTogetherAreRecordedInOneTransactionCommittedBeforeAnyOfTheirMonitorsStarts() throws Exception {
        List<String> writes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        SQLiteConnection c = db.connection().unwrap(SQLiteConnection.class);
        c.addUpdateListener((type, database, table, rowId) -> {
            if (table.equals("step_attempt") && type == SQLiteUpdateListener.Type.INSERT) writes.add("attempt");
        });
        c.addCommitListener(new SQLiteCommitListener() {
            @Override public void onCommit() { writes.add("commit"); }

            @Override public void onRollback() { writes.add("rollback"); }
        });
        supervisor.held = dir -> true;
        supervisor.waiting = new CountDownLatch(1);
        List<Long> ids = storeRunsAsATrigger("burst", 3);
        engine.wake();

        assertThat(supervisor.waiting.await(30, TimeUnit.SECONDS)).as("a monitor start began").isTrue();
        List<String> before = List.copyOf(writes);
        int first = before.indexOf("attempt");
        assertThat(before.subList(first, before.size()))
                .as("the three attempts, then one commit, before the first monitor starts")
                .startsWith("attempt", "attempt", "attempt", "commit");
        for (long id : ids) {
            assertThat(committedAttempts(id)).singleElement()
                    .satisfies(a -> assertThat(a.state()).isEqualTo(StepState.RUNNING));
        }

        supervisor.gate.countDown();
        for (long id : ids) exit(awaitMonitor(id, 1), 83);
        for (long id : ids) assertThat(engine.awaitEnd(id).get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void whileOneMonitorIsStartingTheEngineStartsAnotherRunAndTakesACancelThatStopsTheFirstOnceItRuns()
            throws Exception {
        supervisor.held = dir -> dir.toString().contains("/slow-");
        supervisor.waiting = new CountDownLatch(1);
        PipelineRun slow = submit(ONE_STEP.replace("name: %s", "name: slow"));
        assertThat(supervisor.waiting.await(30, TimeUnit.SECONDS)).isTrue();

        PipelineRun quick = submit(ONE_STEP.replace("name: %s", "name: quick"));
        exit(awaitMonitor(quick.id(), 1), 83);
        assertThat(engine.awaitEnd(quick.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.cancel(slow.id()).state()).isEqualTo(RunState.RUNNING);
        assertThat(driver.calls).noneMatch(c -> c.startsWith("requestStop"));

        supervisor.gate.countDown();
        StepAttempt a = awaitMonitor(slow.id(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> driver.calls.contains("requestStop " + a.monitorPid()));
        exit(a, 0);
        assertThat(engine.awaitEnd(slow.id()).get().state()).isEqualTo(RunState.CANCELLED);
        assertThat(attempts(slow).getFirst().state()).isEqualTo(StepState.CANCELLED);
    }

    @Test
    void anAgentThatDiesBetweenRecordingItsAttemptsAndStartingTheirMonitorsRunsThemAgainOnceAfterItsRestart()
            throws Exception {
        supervisor.held = dir -> true;
        supervisor.waiting = new CountDownLatch(2);
        List<Long> ids = storeRunsAsATrigger("burst", 2);
        engine.wake();
        assertThat(supervisor.waiting.await(30, TimeUnit.SECONDS)).as("both monitor starts began").isTrue();
        engine.close(); // the agent dies: no monitor was started

        RecordingSupervisor after = new RecordingSupervisor(timers.clock());
        engine = startEngine(after);
        for (long id : ids) {
            StepAttempt second = awaitMonitor(id, 2);
            assertThat(attempts(id).getFirst().state()).isEqualTo(StepState.INTERRUPTED);
            exit(second, 83);
            assertThat(engine.awaitEnd(id).get().state()).isEqualTo(RunState.SUCCEEDED);
        }
        assertThat(after.calls).filteredOn(c -> c.startsWith("start")).containsExactly("start 2", "start 2");
    }

    /**
     * At an agent's start the pipelines' triggers are restored before the engine recovers its runs, and a trigger
     * may store runs at once (files that landed while the agent was down) and wake the engine. Nothing may start
     * before the recovery: a run started then would be taken for one of the dead agent's, counted twice against its
     * pipeline's concurrency and its fresh attempt declared interrupted, and the pipeline would start no run again.
     */
    @Test
    void runsATriggerStoresBeforeTheEngineRecoversStartAfterItOnceEachWithinTheirPipelinesConcurrency() throws Exception {
        engine.close();
        RecordingSupervisor sup = new RecordingSupervisor(timers.clock());
        engine = newEngine(sup, name -> 1);
        List<Long> ids = storeRunsAsATrigger("burst", 2);
        engine.wake();
        engine.start();
        for (long id : ids) {
            StepAttempt first = awaitMonitor(id, 1);
            exit(first, 83);
            assertThat(engine.awaitEnd(id).get().state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(attempts(id)).singleElement().extracting(StepAttempt::state).isEqualTo(StepState.SUCCEEDED);
        }
    }
}
