package io.orchide.node.pipeline;

import io.orchide.model.App;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
import io.orchide.node.pipeline.run.AppliedPipelines;
import io.orchide.node.pipeline.run.Outbox;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.pipeline.run.RunEngine;
import io.orchide.node.pipeline.run.StepApps;
import io.orchide.node.pipeline.trigger.ClockScheduler;
import io.orchide.node.pipeline.trigger.DataWatcher;
import io.orchide.node.pipeline.trigger.FiredFiles;
import io.orchide.node.pipeline.trigger.FiredSchedules;
import io.orchide.node.pipeline.trigger.ScheduleTrigger;
import io.orchide.node.pipeline.trigger.WatchSettings;
import io.orchide.node.store.Database;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.Reservations;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.Supervisor;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline side of an agent, put together: the engine's connection to the node's database, the durable run queue,
 * the trigger ledgers and watchers, the run engine and the outbox, in the directories {@link NodeLayout} names. The
 * readers' store of runs and products ({@link NodeDatabase#products}) is not here: the agent gives it to whoever
 * lists them.
 */
public final class PipelineNode implements AutoCloseable {
    private final FiredFiles firedFiles;
    private final FiredSchedules firedSchedules;
    private final DataWatcher watcher;
    private final ScheduleTrigger schedules;
    private final RunEngine engine;
    private final Pipelines pipelines;
    private final PipelineStore engineStore;

    private PipelineNode(FiredFiles firedFiles, FiredSchedules firedSchedules, DataWatcher watcher,
                         ScheduleTrigger schedules, RunEngine engine, Pipelines pipelines, PipelineStore engineStore) {
        this.firedFiles = firedFiles;
        this.firedSchedules = firedSchedules;
        this.watcher = watcher;
        this.schedules = schedules;
        this.engine = engine;
        this.pipelines = pipelines;
        this.engineStore = engineStore;
    }

    /** Asks {@code l} to be told whenever the engine wrote runs, attempts or products. */
    public void onChange(Runnable l) {
        engineStore.onChange(l);
    }

    /**
     * Opens the pipeline side over the engine's connection to the node's database; {@link #start} then restores runs
     * and triggers. Its steps launch through {@code launcher} under {@code supervisor}, as the workloads do, take their
     * Apps from {@code reconciler} and share the node's room with it through {@code reservations}; a tenant's runs wait
     * while they would take it over its on-board quota (cpu and memory by the reconciler, files by {@code storage});
     * steps' outputs that name a dataset are written into it through {@code datasets}. The pipelines applied are kept
     * in {@code applied} (empty until {@link #start}), which others read too.
     */
    public static PipelineNode open(NodeLayout layout, NodeDatabase nodeDb, WorkloadLauncher launcher,
                                    Supervisor supervisor, Reconciler reconciler, Reservations reservations,
                                    io.orchide.node.storage.TenantStorage storage,
                                    io.orchide.node.dataset.DatasetOutputs datasets, AppliedPipelines applied,
                                    Clock clock, Duration agingStep)
            throws IOException, SQLException {
        Database db = nodeDb.engine();
        Amount capacity = Amount.of(reconciler.capacity(), launcher.accelerators().classes());
        DurableRunQueue queue = DurableRunQueue.open(db, clock,
                RunQueueConfig.DEFAULTS.withAgingStep(agingStep).withNodeCapacity(capacity));
        PipelineStore store = new PipelineStore(db);
        StepApps stepApps = new StepApps(name -> app(reconciler, name));
        Outbox outbox = new Outbox(layout.outbox(), store, clock, datasets);
        RunEngine engine = new RunEngine(store, queue, launcher, supervisor, stepApps, reservations, reconciler::free,
                capacity, applied::concurrency, outbox, clock, layout.pipelineRuns(), layout.workspaces());
        engine.quotaGate(q -> withinQuota(reconciler, storage, applied.tenant(q.pipeline()), q));
        if (datasets != null) engine.datasetInputs(datasets::readableDirectory);
        FiredFiles firedFiles = FiredFiles.open(nodeDb, clock);
        FiredSchedules firedSchedules = FiredSchedules.open(nodeDb, clock);
        DataWatcher watcher = DataWatcher.start(firedFiles, clock, WatchSettings.defaults());
        ScheduleTrigger schedules = ScheduleTrigger.start(firedSchedules, clock, new ClockScheduler(clock),
                Duration.ofSeconds(10));
        Pipelines pipelines = new Pipelines(store, engine, applied, stepApps, watcher, schedules, layout.datasets(),
                capacity, reconciler.quotas(), clock);
        return new PipelineNode(firedFiles, firedSchedules, watcher, schedules, engine, pipelines, store);
    }

    /**
     * Whether run {@code q} of {@code tenant} fits the tenant's on-board quota: its cpu and memory beside what the
     * tenant holds now, and the tenant's files within its storage quota as last measured.
     */
    private static boolean withinQuota(Reconciler reconciler, io.orchide.node.storage.TenantStorage storage,
                                       String tenant, io.orchide.node.pipeline.queue.QueuedRun q) {
        if (tenant == null) return true;
        String what = "run " + q.runId() + " of pipeline " + q.pipeline();
        try {
            if (storage != null) storage.check(what, tenant);
            reconciler.checkQuota(what, tenant, new io.orchide.node.workload.Capacity(q.need().vcpus(), q.need().memoryMiB()));
            return true;
        } catch (io.orchide.node.tenant.QuotaExceededException e) {
            return false;
        }
    }

    /** Restores the applied pipelines, then the runs (re-adopting running steps), and starts what fits. */
    public void start() {
        pipelines.restore();
        engine.start();
    }

    public RunEngine engine() {
        return engine;
    }

    public Pipelines pipelines() {
        return pipelines;
    }

    private static Optional<App> app(Reconciler reconciler, String name) {
        try {
            return Optional.of(reconciler.get(name).app());
        } catch (NoSuchWorkloadException e) {
            return Optional.empty();
        }
    }

    /** Stops triggers and the engine; running steps keep running and are re-adopted at the next start. */
    @Override
    public void close() throws Exception {
        schedules.close();
        watcher.close();
        engine.close();
        firedFiles.close();
        firedSchedules.close();
    }
}
