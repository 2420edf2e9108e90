package io.orchide.node.api;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.ProductRecord;
import io.orchide.node.pipeline.run.RunOrigin;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.node.pipeline.run.StepState;
import io.orchide.node.pipeline.run.StoredPipeline;
import io.orchide.node.pipeline.run.TriggerKind;
import io.orchide.node.storage.Space;
import io.orchide.node.store.RunRecord;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.node.workload.WorkloadState;
import io.orchide.node.workload.WorkloadView;
import io.orchide.node.storage.StorageBudget;
import io.orchide.node.storage.StorageKeeper;
import io.orchide.node.storage.StorageLevel;
import io.orchide.runtime.Probe;
import io.orchide.web.Exchange;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the node's local API answers, made by the node's own views ({@link PipelineViews}) from real records, so
 * the CLI's tests feed the CLI exactly the JSON the node writes: a field the node renames or drops breaks them.
 * (In the views' package because the views are the node's internals; this class lives with the CLI's tests.)
 */
public final class NodeApiSamples {
    /** The pipeline every sample belongs to: four steps (cloud and tile first), an onData trigger, a deadline. */
    private static final String PIPELINE = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: %s, tenant: eo-team}
            spec:
              priority: 70
              %s
              preemptible: true
              concurrency: 2
              triggers:
                - onData: {dataset: camera, glob: "*.pgm"}
                - manual: {}
              steps:
                - name: cloud
                  template: {image: /opt/cloud.elf, runtime: {family: unikraft, monitor: qemu, arch: x86_64}}
                - name: tile
                  app: tiler
                  outputs: [{name: tiles, path: tiles/}]
                - name: detect
                  after: [tile]
                  template: {image: /opt/detect.elf, runtime: {family: unikraft, monitor: qemu, arch: x86_64}}
                  forEach: {items: steps.tile.outputs.tiles, parallelism: 2}
                  inputs: [{name: tile, from: item}]
                  retries: {limit: 2, backoff: 10s}
                - name: count
                  after: [detect]
                  template: {image: /opt/count.elf, runtime: {family: unikraft, monitor: qemu, arch: x86_64}}
            """;

    private NodeApiSamples() {
    }

    /**
     * {@code GET /api/v1/pipelines} item: created five minutes ago, runs 1 queued, 2 running, 10 succeeded and one
     * each failed, cancelled, expired; {@code deadline} null for none.
     */
    public static String pipeline(String name, Duration deadline, String lastRun) {
        return PipelineViews.pipeline(stored(name, deadline), counts(), lastRun).toString();
    }

    /** {@code GET /api/v1/pipelines/NAME}: the item with the manifest as applied. */
    public static String pipelineDetail(String name, Duration deadline, String lastRun) {
        return PipelineViews.pipelineDetail(stored(name, deadline), counts(), lastRun).toString();
    }

    /** A run of cloud-filter (id 42, priority 70, effective 75) triggered by camera/a.pgm, created 200 s ago. */
    public static String run(String name, String state, List<String> steps) {
        return PipelineViews.run(run(name, state), 75, steps).toString();
    }

    /**
     * {@code GET /api/v1/runs/NAME}: the run with one attempt (the second of detect[3], failed with exit 3 after
     * 9 s, reading tile 3) and the product {@link #product()}.
     */
    public static String runDetail(String name, String state) {
        PipelineRun r = run(name, state);
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        StepAttempt detect = new StepAttempt(r.id(), "detect", 3, 2, StepState.FAILED,
                Path.of("/var/lib/orchide/runs", name, "detect-3/2"), 3, "guest exited 3", null, t0, t0.plusSeconds(9));
        return PipelineViews.runDetail(r, 75, List.of(), Path.of("/var/lib/orchide/runs", name),
                List.of(new PipelineViews.StepRun(detect, List.of(new Mount("tile", "/ws/tile/tiles/3.pgm", null, 0)),
                        List.of(), null)), List.of(productRecord())).toString();
    }

    /**
     * A product of run cloud-filter-000042's count step: id 17, 4096 bytes, priority 80, kept 7 days, created ten
     * minutes ago, still in the outbox.
     */
    public static String product() {
        return PipelineViews.product(productRecord()).toString();
    }

    /**
     * {@code GET /api/v1/workloads/NAME}: a unikraft App with {@code env} GREETING=hi, stopped by the user: its
     * newest run (attempt 2) ended STOPPED with no success, the one before failed with exit 7.
     */
    public static String workloadDetail(String name) {
        WorkloadView w = stoppedWorkload(name);
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        RunRecord stopped = new RunRecord(2, name, 1, 2, Path.of("/var/lib/orchide/workloads", name, "2"),
                RunRecord.RunState.STOPPED, t0.plusSeconds(60), t0.plusSeconds(90), null, null, null, 15, null, null,
                "stopped by the user");
        RunRecord failed = new RunRecord(1, name, 1, 1, Path.of("/var/lib/orchide/workloads", name, "1"),
                RunRecord.RunState.ENDED, t0, t0.plusSeconds(9), null, null, 7, null, 7, false, "guest exited 7");
        return Views.detail(w, List.of(), List.of(stopped, failed)).toString();
    }

    /** {@code GET /api/v1/workloads}: the workload of {@link #workloadDetail} as listed. */
    public static String workloads(String name) {
        var o = Exchange.JSON.objectNode();
        o.putArray("items").add(Views.workload(stoppedWorkload(name)));
        return o.toString();
    }

    private static WorkloadView stoppedWorkload(String name) {
        App app;
        try {
            app = Manifests.parseApp("""
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: %s}
                    spec:
                      image: /opt/hello.elf
                      runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                      env: {GREETING: hi}
                      resources: {vcpus: 1, memoryMiB: 64}
                    """.formatted(name), Arch.X86_64);
        } catch (Exception e) {
            throw new IllegalStateException("the sample app no longer parses: " + e.getMessage(), e);
        }
        return new WorkloadView(name, app, app.spec().runtime(), WorkloadRecord.Desired.STOPPED, 1,
                WorkloadState.STOPPED, "stopped by the user", 1, Instant.now().minusSeconds(300), null, null);
    }

    /** {@code GET /api/v1/doctor} with one probe. */
    public static String doctor(String name, boolean available, String reason) {
        var o = Exchange.JSON.objectNode();
        o.putArray("probes").add(Views.probe(new Probe(name, available, reason, Map.of())));
        return o.toString();
    }

    /** {@code GET /api/v1/storage}: {@code level} with these bytes, limit, reserve and low mark, and what was reclaimed. */
    public static String storage(String level, long capacity, long used, long free, long limit, long reserve, long low,
                                 int reclaimedItems, long reclaimedBytes) {
        return StorageApi.view(new StorageKeeper.Status(StorageLevel.valueOf(level.toUpperCase()), null,
                new Space(capacity, used, free), new StorageBudget(limit, reserve, low), reclaimedItems, reclaimedBytes,
                List.of(), null)).toString();
    }

    private static ProductRecord productRecord() {
        return new ProductRecord(17, 42, "cloud-filter", "count", null, "count",
                Path.of("/var/lib/orchide/outbox/17/count.json"), 4096, "ab".repeat(32), 80, Duration.ofDays(7),
                Instant.parse("2025-01-08T00:00:00Z"), "sha256:0123", Map.of("boxes", "/ws/detect/boxes.json"),
                "outbox", Instant.now().minusSeconds(600));
    }

    private static PipelineRun run(String name, String state) {
        long id = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
        String pipeline = name.substring(0, name.lastIndexOf('-'));
        return new PipelineRun(id, pipeline, 1, 70, null, new RunOrigin(TriggerKind.ON_DATA, "camera/a.pgm", null),
                RunState.valueOf(state.toUpperCase()), null, Instant.now().minusSeconds(200), null, null);
    }

    private static StoredPipeline stored(String name, Duration deadline) {
        String yaml = PIPELINE.formatted(name, deadline == null ? "" : "deadline: " + deadline.toSeconds() + "s");
        Pipeline p;
        try {
            p = Manifests.parsePipeline(yaml, Arch.X86_64);
        } catch (Exception e) {
            throw new IllegalStateException("the sample pipeline no longer parses: " + e.getMessage(), e);
        }
        return new StoredPipeline(p, 1, Instant.now().minusSeconds(300), Instant.now().minusSeconds(60));
    }

    private static Map<RunState, Integer> counts() {
        Map<RunState, Integer> m = new EnumMap<>(RunState.class);
        m.put(RunState.QUEUED, 1);
        m.put(RunState.RUNNING, 2);
        m.put(RunState.SUCCEEDED, 10);
        m.put(RunState.FAILED, 1);
        m.put(RunState.CANCELLED, 1);
        m.put(RunState.EXPIRED, 1);
        return m;
    }
}
