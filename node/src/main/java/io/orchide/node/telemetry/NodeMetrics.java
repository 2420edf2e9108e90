package io.orchide.node.telemetry;

import io.orchide.node.broker.Broker;
import io.orchide.node.link.GroundLink;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.RunEngine;
import io.orchide.node.storage.Space;
import io.orchide.node.storage.StorageKeeper;
import io.orchide.node.storage.StorageLevel;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.WorkloadState;
import io.orchide.node.workload.WorkloadView;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.ProcessMetrics;
import io.orchide.web.telemetry.Registry;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's metrics, served at {@code /metrics} behind the node's token: workloads by state and their restarts,
 * pipeline runs by state and the queue by priority, trigger latency and step durations (told by the engine), the
 * link (when the node has a ground), storage, the device broker's decisions and leases, the node's capacity, and
 * the agent process's CPU time and memory.
 * Everything but the engine's histograms is read at scrape time from what the agent holds anyway, so an unscraped
 * agent does no work for its metrics.
 *
 * <pre>{@code
 * NodeMetrics m = NodeMetrics.of(reconciler, products, engine, storage, ground, broker, "0.1.0", "x86_64");
 * MetricsRoute.register(api, m.registry());
 * }</pre>
 */
public final class NodeMetrics {
    private final Registry registry = new Registry();

    private NodeMetrics() {
    }

    /** {@code ground}: null for a node on its own (no link metrics); {@code broker}: null for none. */
    public static NodeMetrics of(Reconciler reconciler, PipelineStore runs, RunEngine engine, StorageKeeper storage,
                                 GroundLink ground, Broker broker, String version, String arch) {
        NodeMetrics m = new NodeMetrics();
        Registry r = m.registry;
        r.register(() -> List.of(MetricFamily.gauge("orchide_node_info", "The agent's version and the node's architecture.",
                "version", "arch").add(1, version, arch).build()));
        r.register(() -> workloads(reconciler));
        r.register(() -> capacity(reconciler));
        r.register(() -> runs(runs));
        RunMetrics engineMetrics = r.register(new RunMetrics());
        engine.observe(engineMetrics);
        if (ground != null) r.register(ground.traffic());
        r.register(() -> storage(storage.status()));
        if (broker != null) r.register(() -> BrokerMetrics.of(broker));
        r.register(new ProcessMetrics());
        return m;
    }

    public Registry registry() { return registry; }

    private static List<MetricFamily> workloads(Reconciler reconciler) {
        Map<WorkloadState, Integer> byState = new EnumMap<>(WorkloadState.class);
        for (WorkloadState s : WorkloadState.values()) byState.put(s, 0);
        MetricFamily.Builder restarts = MetricFamily.counter("orchide_workload_restarts_total",
                "Restarts of each workload by its restart policy since it was applied.", "tenant", "app");
        for (WorkloadView w : reconciler.list()) {
            byState.merge(w.state(), 1, Integer::sum);
            restarts.add(w.restarts(), w.app().metadata().tenant(), w.name());
        }
        MetricFamily.Builder states = MetricFamily.gauge("orchide_workloads", "Workloads on this node by state.", "state");
        byState.forEach((s, n) -> states.add(n, s.wire()));
        return List.of(states.build(), restarts.build());
    }

    private static List<MetricFamily> capacity(Reconciler reconciler) {
        return List.of(
                MetricFamily.gauge("orchide_node_vcpus", "The node's vCPUs for workloads: all of them, and those not reserved.",
                        "kind").add(reconciler.capacity().vcpus(), "capacity").add(reconciler.free().vcpus(), "free").build(),
                MetricFamily.gauge("orchide_node_memory_bytes", "The node's memory for workloads: all of it, and what is not reserved.",
                        "kind").add(reconciler.capacity().memoryMiB() * 1048576.0, "capacity")
                        .add(reconciler.free().memoryMiB() * 1048576.0, "free").build());
    }

    private static List<MetricFamily> runs(PipelineStore store) {
        MetricFamily.Builder runs = MetricFamily.gauge("orchide_runs", "Pipeline runs kept on this node by state.", "state");
        store.runCounts().forEach((s, n) -> runs.add(n, s.wire()));
        MetricFamily.Builder queue = MetricFamily.gauge("orchide_run_queue_length",
                "Runs waiting in the queue by their pipeline's priority (before aging).", "priority");
        store.queuedByPriority().forEach((p, n) -> queue.add(n, Integer.toString(p)));
        return List.of(runs.build(), queue.build());
    }

    private static MetricFamily level(StorageLevel now) {
        MetricFamily.Builder b = MetricFamily.gauge("orchide_storage_level",
                "1 for the storage level the node is at, 0 for the others.", "level");
        for (StorageLevel l : StorageLevel.values()) b.add(l == now ? 1 : 0, l.wire());
        return b.build();
    }

    private static List<MetricFamily> storage(StorageKeeper.Status st) {
        MetricFamily.Builder bytes = MetricFamily.gauge("orchide_storage_bytes",
                "The data directory's volume as last measured: capacity, used and free bytes.", "kind");
        Space s = st.space();
        if (s != null) bytes.add(s.capacityBytes(), "capacity").add(s.usedBytes(), "used").add(s.freeBytes(), "free");
        return List.of(bytes.build(),
                MetricFamily.gauge("orchide_storage_limit_bytes", "The most the node's data may use (0: the whole volume).")
                        .add(st.budget().limitBytes()).build(),
                MetricFamily.gauge("orchide_storage_reserve_bytes", "Free space kept for the agent itself: new work is refused below it.")
                        .add(st.budget().reserveBytes()).build(),
                MetricFamily.gauge("orchide_storage_low_bytes", "Free space under which the node reclaims delivered products and old runs' files.")
                        .add(st.budget().lowBytes()).build(),
                MetricFamily.counter("orchide_storage_reclaimed_bytes_total", "Bytes reclaimed since the agent started.")
                        .add(st.reclaimedBytes()).build(),
                level(st.level()));
    }
}
