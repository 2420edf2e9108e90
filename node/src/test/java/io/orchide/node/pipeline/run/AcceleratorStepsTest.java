package io.orchide.node.pipeline.run;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.node.accel.Accelerator;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.node.attempt.FakeDriver;
import io.orchide.node.attempt.ManualTimers;
import io.orchide.node.attempt.RecordingSupervisor;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import io.orchide.node.store.Database;
import io.orchide.node.workload.Capacity;
import io.orchide.node.workload.Drivers;
import io.orchide.node.workload.Reservations;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.image.ImageResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.orchide.node.pipeline.run.RunEngineTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Steps on a node with one (simulated) GPU, on a fake driver: a step asking for it while another run's step holds it
 * waits, not fails, and starts once the holder's attempt ended; the node never gives the GPU to both. A run whose
 * steps need the GPU is admitted only while no other run reserves it: it waits queued, the most important first.
 */
class AcceleratorStepsTest {
    @TempDir
    Path tmp;
    ManualTimers timers;
    RecordingSupervisor supervisor;
    Database db;
    PipelineStore store;
    RunEngine engine;
    AcceleratorPool pool;
    WorkloadLauncher launcher;
    DurableRunQueue queue;
    NodeLayout layout;
    Amount capacity;

    private static final String GPU_STEP = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: %s, tenant: %s}
            spec:
              steps:
                - name: infer
                  template:
                    image: %s
                    runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                    resources:
                      vcpus: 1
                      memoryMiB: 32
                      accelerators: [{class: gpu}]
            """;

    @BeforeEach
    void setUp() throws Exception {
        timers = new ManualTimers(T0);
        supervisor = new RecordingSupervisor(timers.clock());
        Files.writeString(tmp.resolve("k.elf"), "kernel");
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
        capacity = new Amount(4, 4096, Map.of("gpu", 1));
        layout = NodeLayout.of(tmp);
        engine = startEngine();
    }

    /** The pool, launcher and engine as an agent starts them on the test's data directory, recovering what was left. */
    private RunEngine startEngine() throws Exception {
        pool = AcceleratorPool.open(List.of(new Accelerator("gpu-0", "gpu", List.of(), null, null, Map.of())),
                layout.accelerators());
        queue = DurableRunQueue.open(db, timers.clock(), RunQueueConfig.DEFAULTS.withNodeCapacity(capacity));
        launcher = new WorkloadLauncher(new Drivers(List.of(new FakeDriver())), supervisor,
                new ImageResolver(), new ContentImages(layout.images()), layout, WorkloadLauncher.SecretValues.NONE,
                WorkloadLauncher.BrokerSocketOf.NONE, pool);
        RunEngine e = new RunEngine(store, queue, launcher, supervisor, new StepApps(n -> Optional.empty()),
                new Reservations(), () -> new Capacity(4, 4096), capacity, name -> 4,
                new Outbox(layout.outbox(), store, timers.clock()), timers.clock(), layout.pipelineRuns(),
                layout.workspaces(), timers);
        supervisor.onExit(e::exited);
        e.start();
        return e;
    }

    @AfterEach
    void tearDown() throws Exception {
        supervisor.gate.countDown();
        engine.close();
        db.close();
    }

    private PipelineRun submit(String name) throws Exception {
        return submit(name, GPU_STEP);
    }

    private PipelineRun submit(String name, String yaml) throws Exception {
        Pipeline p = Manifests.parsePipeline(yaml.formatted(name, "default", tmp.resolve("k.elf")), Arch.X86_64);
        long version = store.putPipeline(p, T0);
        return engine.submit(new NewRun(p.name(), version, 50, null, RunOrigin.manual(null), T0,
                new Amount(1, 32), false));
    }

    /**
     * A run of a GPU pipeline of {@code tenant}, needing what the node's pipelines say its steps need; not
     * preemptible, so that a more important run waits for the GPU rather than takes it.
     */
    private PipelineRun submitAs(String tenant, String name, int priority) throws Exception {
        String yaml = GPU_STEP.replace("spec:\n  steps:", "spec:\n  preemptible: false\n  steps:");
        Pipeline p = Manifests.parsePipeline(yaml.formatted(name, tenant, tmp.resolve("k.elf")), Arch.X86_64);
        assertThat(p.spec().preemptible()).isFalse();
        long version = store.putPipeline(p, T0);
        Amount need = new StepApps(n -> Optional.empty()).runNeed(p, capacity);
        assertThat(need).isEqualTo(new Amount(1, 32, Map.of("gpu", 1)));
        return engine.submit(new NewRun(p.name(), version, priority, null, RunOrigin.manual(null), T0, need, false));
    }

    /** Fetches a scene (no accelerator), then infers on the GPU: the run reserves the GPU from its admission. */
    private static final String FETCH_THEN_INFER = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: %s, tenant: %s}
            spec:
              steps:
                - name: fetch
                  template:
                    image: %3$s
                    runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                    resources: {vcpus: 1, memoryMiB: 32}
                - name: infer
                  after: [fetch]
                  template:
                    image: %3$s
                    runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                    resources:
                      vcpus: 1
                      memoryMiB: 32
                      accelerators: [{class: gpu}]
            """;

    private PipelineRun submitFetchThenInfer(String name) throws Exception {
        Pipeline p = Manifests.parsePipeline(FETCH_THEN_INFER.formatted(name, "ocean-team", tmp.resolve("k.elf")),
                Arch.X86_64);
        long version = store.putPipeline(p, T0);
        Amount need = new StepApps(n -> Optional.empty()).runNeed(p, capacity);
        assertThat(need.accelerators()).isEqualTo(Map.of("gpu", 1));
        return engine.submit(new NewRun(p.name(), version, 50, null, RunOrigin.manual(null), T0, need, false));
    }

    /** An App asking for the GPU, as a workload's start prepares it (the same check as when it is applied). */
    private App gpuApp(String name) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: forest-team}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {accelerators: [{class: gpu}]}
                """.formatted(name, tmp.resolve("k.elf")), Arch.X86_64);
    }

    private Path startWorkload(App app) throws Exception {
        Path dir = layout.workloadAttempt(app.name(), 1);
        launcher.prepare(app, dir);
        return dir;
    }

    private StepAttempt awaitMonitor(PipelineRun run, String step) {
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(run).stream()
                .anyMatch(a -> a.step().equals(step) && a.monitorPid() != null));
        return attempts(run).stream().filter(a -> a.step().equals(step)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void anAppAppliedBetweenARunsAdmissionAndItsGpuStepCannotTakeTheGpuTheRunReserved() throws Exception {
        PipelineRun run = submitFetchThenInfer("detect");
        StepAttempt fetch = awaitMonitor(run, "fetch");

        assertThatThrownBy(() -> startWorkload(gpuApp("tracker")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.resources.accelerators");
                    assertThat(e.getMessage()).contains("gpu-0 reserved by run " + run.name());
                });
        assertThatThrownBy(() -> launcher.preflight(gpuApp("tracker"))).hasMessageContaining("gpu-0 reserved by run");
        assertThat(pool.holderOf("gpu-0")).as("get devices shows the run holding it").contains("run/" + run.name());

        succeed(fetch);
        StepAttempt infer = awaitMonitor(run, "infer");
        assertThat(pool.holderOf("gpu-0")).contains(run.name() + "-infer");
        succeed(infer);
        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(pool.holderOf("gpu-0")).as("the run's end gives it back").isEmpty();
        assertThat(pool.reservations()).isEmpty();
        startWorkload(gpuApp("tracker"));
        assertThat(pool.holderOf("gpu-0")).contains("tracker");
    }

    @Test
    void aWorkloadHoldingTheGpuKeepsARunNeedingItQueuedAndItsEndLetsTheRunReserveIt() throws Exception {
        Path tracker = startWorkload(gpuApp("tracker"));
        PipelineRun run = submitFetchThenInfer("detect");
        engine.onEngine(() -> null);
        assertThat(state(run)).isEqualTo(RunState.QUEUED);

        releaseThenAwaitSuccess(tracker, run);
    }

    @Test
    void aRunWhoseGpuAWorkloadTookAfterTheQueueCountedItGoesBackToTheQueueAtItsPlace() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Path> tracker = new java.util.concurrent.atomic.AtomicReference<>();
        // asked once the queue has counted the GPU free and before the run reserves it: a workload starts meanwhile
        engine.quotaGate(q -> {
            if (tracker.get() == null) {
                try {
                    tracker.set(startWorkload(gpuApp("tracker")));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return true;
        });
        PipelineRun run = submitFetchThenInfer("detect");
        engine.onEngine(() -> null);
        assertThat(pool.holderOf("gpu-0")).contains("tracker");
        assertThat(state(run)).as("not started without its GPU").isEqualTo(RunState.QUEUED);
        assertThat(attempts(run)).isEmpty();
        assertThat(engine.effectivePriority(run.id())).as("queued again").isNotNull();

        releaseThenAwaitSuccess(tracker.get(), run);
    }

    @Test
    void aCancelledRunGivesItsReservationBack() throws Exception {
        PipelineRun run = submitFetchThenInfer("detect");
        awaitMonitor(run, "fetch");

        engine.cancel(run.id());
        engine.exited(attempts(run).getFirst().runDir(), new RawExit(143, 15, timers.clock().instant()));

        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.CANCELLED);
        assertThat(pool.reservations()).isEmpty();
        startWorkload(gpuApp("tracker"));
    }

    @Test
    void aReservationSurvivesAnAgentRestartWhileItsRunRunsAndOneWhoseRunIsOverIsDropped() throws Exception {
        PipelineRun run = submitFetchThenInfer("detect");
        StepAttempt fetch = awaitMonitor(run, "fetch");
        engine.close();

        engine = startEngine(); // re-adopts the run and its fetch step from node.db
        assertThat(pool.holderOf("gpu-0")).contains("run/" + run.name());
        assertThatThrownBy(() -> startWorkload(gpuApp("tracker"))).hasMessageContaining("gpu-0 reserved by run "
                + run.name());
        succeed(fetch);
        StepAttempt infer = awaitMonitor(run, "infer");
        assertThat(pool.holderOf("gpu-0")).contains(run.name() + "-infer");
        succeed(infer);
        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        engine.close();

        // a reservation written for a run the store no longer has running (the agent died between the two writes)
        Files.writeString(layout.accelerators(), "{\"reservations\": {\"" + run.name() + "\": [\"gpu-0\"]}}");
        engine = startEngine();
        assertThat(pool.reservations()).as("nothing leaks").isEmpty();
        startWorkload(gpuApp("tracker"));
    }

    /** Ends the workload holding gpu-0: the queued run then reserves it, runs both its steps and succeeds. */
    private void releaseThenAwaitSuccess(Path tracker, PipelineRun run) throws Exception {
        launcher.release(tracker);
        StepAttempt fetch = awaitMonitor(run, "fetch");
        assertThat(pool.reservation(run.name())).containsExactly("gpu-0");
        succeed(fetch);
        succeed(awaitMonitor(run, "infer"));
        assertThat(engine.awaitEnd(run.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    private RunState state(PipelineRun run) {
        return engine.onEngine(() -> store.run(run.id()).orElseThrow().state());
    }

    private void succeed(StepAttempt a) {
        engine.exited(a.runDir(), new RawExit(83, 0, timers.clock().instant()));
    }

    @Test
    void twoTenantsRunsOnTheOneGpuNeverHoldItAtOnce() throws Exception {
        PipelineRun ocean = submitAs("ocean-team", "detect", 50);
        StepAttempt oceanStep = awaitMonitor(ocean);

        PipelineRun forest = submitAs("forest-team", "classify", 50);
        engine.onEngine(() -> null);
        assertThat(state(forest)).as("not admitted while the GPU is the other tenant's").isEqualTo(RunState.QUEUED);
        assertThat(attempts(forest)).isEmpty();
        assertThat(pool.holdings()).singleElement().satisfies(h -> assertThat(h.label()).isEqualTo(ocean.name() + "-infer"));

        succeed(oceanStep);
        assertThat(engine.awaitEnd(ocean.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        StepAttempt forestStep = awaitMonitor(forest);
        assertThat(pool.holdings()).singleElement().satisfies(h -> assertThat(h.label()).isEqualTo(forest.name() + "-infer"));
        succeed(forestStep);
        assertThat(engine.awaitEnd(forest.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(pool.holdings()).isEmpty();
    }

    @Test
    void aLowerPriorityRunWaitsForTheGpuAndTheHigherOneGoesFirst() throws Exception {
        PipelineRun holder = submitAs("ocean-team", "detect", 50);
        StepAttempt holding = awaitMonitor(holder);
        PipelineRun low = submitAs("forest-team", "survey", 10);
        PipelineRun high = submitAs("ocean-team", "alert", 90);
        engine.onEngine(() -> null);
        assertThat(List.of(state(low), state(high))).containsOnly(RunState.QUEUED);
        assertThat(pool.holderOf("gpu-0")).contains(holder.name() + "-infer");

        succeed(holding);
        StepAttempt highStep = awaitMonitor(high);
        assertThat(state(low)).as("waits, not fails").isEqualTo(RunState.QUEUED);
        assertThat(attempts(low)).isEmpty();

        succeed(highStep);
        StepAttempt lowStep = awaitMonitor(low);
        assertThat(pool.holderOf("gpu-0")).contains(low.name() + "-infer");
        succeed(lowStep);
        assertThat(engine.awaitEnd(low.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.awaitEnd(high.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    private List<StepAttempt> attempts(PipelineRun run) {
        return engine.onEngine(() -> store.attempts(run.id()));
    }

    private StepAttempt awaitMonitor(PipelineRun run) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<StepAttempt> as = attempts(run);
            return as.size() == 1 && as.getLast().monitorPid() != null;
        });
        return attempts(run).getLast();
    }

    @Test
    void aStepWaitsForTheGpuAnotherRunHoldsAndTakesItWhenGivenBack() throws Exception {
        PipelineRun first = submit("detect");
        StepAttempt holding = awaitMonitor(first);
        assertThat(pool.holderOf("gpu-0")).contains(first.name() + "-infer");

        PipelineRun second = submit("classify");
        engine.onEngine(() -> null);
        assertThat(attempts(second)).as("waits: no attempt, no failure").isEmpty();
        assertThat(engine.onEngine(() -> store.run(second.id()).orElseThrow().state())).isEqualTo(RunState.RUNNING);

        engine.exited(holding.runDir(), new RawExit(83, 0, timers.clock().instant()));
        assertThat(engine.awaitEnd(first.id()).get().state()).isEqualTo(RunState.SUCCEEDED);

        StepAttempt next = awaitMonitor(second);
        assertThat(pool.holderOf("gpu-0")).contains(second.name() + "-infer");
        engine.exited(next.runDir(), new RawExit(83, 0, timers.clock().instant()));
        assertThat(engine.awaitEnd(second.id()).get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(pool.holdings()).isEmpty();
    }

    @Test
    void aStepAskingForAClassTheNodeLacksFailsNamingIt() throws Exception {
        PipelineRun run = submit("fpga-job", GPU_STEP.replace("class: gpu", "class: fpga"));

        assertThat(engine.awaitEnd(run.id()).get(30, java.util.concurrent.TimeUnit.SECONDS).state())
                .isEqualTo(RunState.FAILED);
        assertThat(attempts(run)).singleElement().satisfies(a -> assertThat(a.message())
                .contains("spec.resources.accelerators").contains("this node has no accelerator of class fpga"));
        assertThat(pool.holdings()).isEmpty();
    }
}
