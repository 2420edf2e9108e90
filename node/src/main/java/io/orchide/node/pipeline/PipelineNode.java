package io.orchide.node.pipeline;

import io.orchide.model.App;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.RunQueueConfig;
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

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The pipeline side of an agent, put together: the engine's connection to the node's database, the durable run queue,
 * the trigger ledgers and watchers, the run engine and the outbox, in the directories {@link NodeLayout} names.
 */
public final class PipelineNode implements AutoCloseable {
    private final FiredFiles firedFiles;
    private final FiredSchedules firedSchedules;
    private final DataWatcher watcher;
    private final ScheduleTrigger schedules;
    private final RunEngine engine;
    private final Pipelines pipelines;
    private final PipelineStore store;
    private final PipelineStore engineStore;

    private PipelineNode(FiredFiles firedFiles, FiredSchedules firedSchedules, DataWatcher watcher,
                         ScheduleTrigger schedules, RunEngine engine, Pipelines pipelines, PipelineStore store,
                         PipelineStore engineStore) {
        this.firedFiles = firedFiles;
        this.firedSchedules = firedSchedules;
        this.watcher = watcher;
        this.schedules = schedules;
        this.engine = engine;
        this.pipelines = pipelines;
        this.store = store;
        this.engineStore = engineStore;
    }

    /** Asks {@code l} to be told whenever the engine wrote runs, attempts or products. */
    public void onChange(Runnable l) {
        engineStore.onChange(l);
    }

    /** Opens the pipeline side; {@link #start} then restores runs and triggers. */
    public static PipelineNode open(NodeLayout layout, NodeDatabase nodeDb, Reconciler reconciler,
                                    Reservations reservations, Clock clock, Duration agingStep)
            throws IOException, SQLException {
        Database db = nodeDb.engine();
        Amount capacity = Amount.of(reconciler.capacity(), 0);
        DurableRunQueue queue = DurableRunQueue.open(db, clock,
                RunQueueConfig.DEFAULTS.withAgingStep(agingStep).withNodeCapacity(capacity));
        PipelineStore store = new PipelineStore(db);
        StepApps stepApps = new StepApps(name -> app(reconciler, name));
        Outbox outbox = new Outbox(layout.outbox(), store, clock);
        Pipelines[] self = new Pipelines[1];
        RunEngine engine = new RunEngine(store, queue, reconciler.launcher(), reconciler.supervisor(), stepApps,
                reservations, reconciler::free, capacity, name -> self[0].concurrency(name), outbox, clock,
                layout.pipelineRuns(), layout.workspaces());
        FiredFiles firedFiles = FiredFiles.open(nodeDb, clock);
        FiredSchedules firedSchedules = FiredSchedules.open(nodeDb, clock);
        DataWatcher watcher = DataWatcher.start(firedFiles, clock, WatchSettings.defaults());
        ScheduleTrigger schedules = ScheduleTrigger.start(firedSchedules, clock, new ClockScheduler(clock),
                Duration.ofSeconds(10));
        self[0] = new Pipelines(store, engine, stepApps, watcher, schedules, layout.datasets(), capacity,
                clock);
        return new PipelineNode(firedFiles, firedSchedules, watcher, schedules, engine, self[0],
                new PipelineStore(nodeDb.products()), store);
    }

    /** Restores the applied pipelines, then the runs (re-adopting running steps), and starts what fits. */
    public void start() {
        pipelines.restore();
        engine.start();
    }

    /** Whether an exit reported from {@code runDir} belongs to a pipeline step. */
    public boolean owns(Path runDir) {
        return runDir.startsWith(engine.runsDir());
    }

    public RunEngine engine() {
        return engine;
    }

    public Pipelines pipelines() {
        return pipelines;
    }

    /**
     * The store for the API's lists and details and for marking products, on {@link NodeDatabase#products}: the
     * engine's connection is used by the engine's thread only, so a reader never sees the engine's batch half-way.
     */
    public PipelineStore store() {
        return store;
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
