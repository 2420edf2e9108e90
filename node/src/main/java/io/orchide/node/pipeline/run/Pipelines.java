package io.orchide.node.pipeline.run;

import io.orchide.model.FieldError;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepInput;
import io.orchide.model.DataRef;
import io.orchide.model.Trigger;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.tenant.QuotaCheck;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.tenant.QuotaSource;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.trigger.DataEvent;
import io.orchide.node.pipeline.trigger.DataSubscriber;
import io.orchide.node.pipeline.trigger.DataWatcher;
import io.orchide.node.pipeline.trigger.ScheduleFire;
import io.orchide.node.pipeline.trigger.ScheduleSubscriber;
import io.orchide.node.pipeline.trigger.ScheduleTrigger;
import io.orchide.node.pipeline.workspace.FileStager;
import io.orchide.node.pipeline.workspace.RunWorkspace;
import io.orchide.node.workload.ApplyResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipelines applied on the node: accepts and removes them, subscribes their triggers (data, schedules, events)
 * so that each firing stores its run in the trigger's own transaction, starts manual runs, and hands everything to
 * the {@link RunEngine}.
 */
public final class Pipelines {
    private final PipelineStore store;
    private final RunEngine engine;
    private final StepApps stepApps;
    private final DataWatcher watcher;
    private final ScheduleTrigger schedules;
    private final Path datasets;
    private final Amount nodeCapacity;
    private final QuotaSource quotas;
    private final Clock clock;
    private final AppliedPipelines current;
    private final Map<String, Amount> needs = new ConcurrentHashMap<>();
    private final Map<String, List<String>> subscriptions = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> deleted = name -> { };

    /** {@code current} is the engine's view of the applied pipelines too: this class keeps it up to date. */
    public Pipelines(PipelineStore store, RunEngine engine, AppliedPipelines current, StepApps stepApps,
                     DataWatcher watcher, ScheduleTrigger schedules, Path datasets, Amount nodeCapacity,
                     QuotaSource quotas, Clock clock) {
        this.quotas = quotas;
        this.store = store;
        this.current = current;
        this.engine = engine;
        this.stepApps = stepApps;
        this.watcher = watcher;
        this.schedules = schedules;
        this.datasets = datasets;
        this.nodeCapacity = nodeCapacity;
        this.clock = clock;
        engine.onRunEnd(this::followUps);
    }

    /** The directory of a dataset: {@code <data>/datasets/<name>}. */
    public Path dataset(String name) {
        return datasets.resolve(name);
    }

    /** Re-subscribes the triggers of every stored pipeline (at agent start). */
    public void restore() {
        for (StoredPipeline sp : engine.onEngine(store::pipelines)) {
            current.put(sp.name(), sp);
            needs.put(sp.name(), stepApps.runNeedOrZero(sp.pipeline(), nodeCapacity));
            try {
                subscribe(sp.pipeline());
            } catch (PipelineRefusedException e) {
                System.getLogger(Pipelines.class.getName()).log(System.Logger.Level.WARNING,
                        "pipeline " + sp.name() + ": triggers not restored: " + e.errors());
            }
        }
    }

    public int concurrency(String pipeline) {
        return current.concurrency(pipeline);
    }

    /**
     * Accepts a validated pipeline: checks it against this node (its Apps are applied, a run fits the node and its
     * tenant's on-board quota, its data paths exist), stores it as the current version and (re)subscribes its triggers. Runs already triggered
     * keep the version they were triggered with.
     */
    public synchronized ApplyResult apply(Pipeline p) throws PipelineRefusedException, QuotaExceededException {
        StoredPipeline old = current.get(p.name());
        if (old != null && old.pipeline().equals(p)) return ApplyResult.UNCHANGED;
        List<FieldError> errors = new ArrayList<>();
        List<Step> steps = p.spec().steps();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (stepApps.base(s).isEmpty()) {
                errors.add(new FieldError("spec.steps[" + i + "].app", s.app(),
                        "no App of that name is applied on this node; apply it first"));
            }
        }
        Amount need = Amount.ZERO;
        if (errors.isEmpty()) {
            need = stepApps.runNeed(p, nodeCapacity);
            if (!nodeCapacity.fits(need)) {
                errors.add(new FieldError("spec.steps", need.toString(),
                        "a run needs more than the node has (" + nodeCapacity + ")"));
            }
        }
        if (errors.isEmpty()) {
            // a run that alone needs more than its tenant's quota could never start: refused now rather than queued
            String tenant = p.metadata().tenant();
            var quota = quotas.of(tenant);
            if (quota.isPresent()) {
                QuotaCheck.check("pipeline " + p.name() + " (each run needs " + need.vcpus() + " vCPU, " + need.memoryMiB()
                        + " MiB)", tenant, quota.get(), QuotaCheck.Amounts.ZERO,
                        QuotaCheck.Amounts.compute(need.vcpus(), need.memoryMiB()));
            }
        }
        List<Trigger> triggers = p.spec().triggers();
        for (int i = 0; i < triggers.size(); i++) {
            if (triggers.get(i) instanceof Trigger.OnData d && d.path() != null && !Files.isDirectory(Path.of(d.path()))) {
                errors.add(new FieldError("spec.triggers[" + i + "].onData.path", d.path(), "no such directory on the node"));
            }
        }
        if (!errors.isEmpty()) throw new PipelineRefusedException("pipeline " + p.name() + " refused", errors);
        unsubscribe(p.name());
        StoredPipeline sp = engine.onEngine(() -> {
            store.putPipeline(p, clock.instant());
            return store.pipeline(p.name()).orElseThrow();
        });
        current.put(p.name(), sp);
        needs.put(p.name(), need);
        subscribe(p);
        engine.wake();
        return old == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
    }

    /** Removes the pipeline: its triggers stop, its queued and running runs are cancelled; returns those runs. */
    public synchronized List<PipelineRun> delete(String name) throws NoSuchRunException {
        if (current.remove(name) == null) throw new NoSuchRunException("pipeline", name);
        unsubscribe(name);
        needs.remove(name);
        List<PipelineRun> live = engine.onEngine(() -> {
            store.deletePipeline(name);
            List<PipelineRun> l = new ArrayList<>(store.runs(name, RunState.QUEUED, Integer.MAX_VALUE));
            l.addAll(store.runs(name, RunState.RUNNING, Integer.MAX_VALUE));
            return l;
        });
        List<PipelineRun> cancelled = new ArrayList<>();
        for (PipelineRun r : live) {
            try {
                cancelled.add(engine.cancel(r.id()));
            } catch (IllegalStateException ended) {
                // ended meanwhile
            }
        }
        deleted.accept(name);
        return cancelled;
    }

    /**
     * Tells {@code l} the name of each pipeline deleted, once it is forgotten and its runs are cancelled (their steps
     * are being stopped): whatever was kept for it (its broker channel) may go then.
     */
    public void onDeleted(java.util.function.Consumer<String> l) {
        deleted = l;
    }

    public List<StoredPipeline> list() {
        return current.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public StoredPipeline get(String name) throws NoSuchRunException {
        StoredPipeline sp = current.get(name);
        if (sp == null) throw new NoSuchRunException("pipeline", name);
        return sp;
    }

    /**
     * Starts a manual run. {@code inputs} maps {@code trigger}, or the name of a step input taken from the trigger,
     * to the file the run processes (at most one file).
     */
    public PipelineRun runManually(String name, Map<String, String> inputs)
            throws NoSuchRunException, PipelineRefusedException {
        StoredPipeline sp = get(name);
        Set<String> accepted = new LinkedHashSet<>(List.of("trigger"));
        for (Step s : sp.pipeline().spec().steps()) {
            for (StepInput in : s.inputs()) if (in.from().source() == DataRef.Source.TRIGGER) accepted.add(in.name());
        }
        List<FieldError> errors = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        for (var e : inputs.entrySet()) {
            String field = "inputs." + e.getKey();
            if (!accepted.contains(e.getKey())) {
                errors.add(new FieldError(field, e.getKey(), "not an input of the trigger; expected one of " + accepted));
                continue;
            }
            Path f = Path.of(e.getValue());
            if (!f.isAbsolute()) errors.add(new FieldError(field, e.getValue(), "must be an absolute path"));
            else if (!Files.isRegularFile(f)) errors.add(new FieldError(field, e.getValue(), "no such file on the node"));
            else files.add(f.normalize());
        }
        if (files.size() > 1) {
            errors.add(new FieldError("inputs", files.toString(), "a run processes one triggering file"));
        }
        if (!errors.isEmpty()) throw new PipelineRefusedException("run of " + name + " refused", errors);
        Path file = files.isEmpty() ? null : files.iterator().next();
        NewRun nr = newRun(sp, RunOrigin.manual(file));
        if (file == null) return engine.submit(nr);
        // the file is placed in the workspace once the run has an id, in the same transaction's aftermath
        return engine.submitWithFile(nr, (run) -> place(run, file));
    }

    /** Fires the named event: one run of each pipeline listening to it; returns them. */
    public List<PipelineRun> event(String eventName) {
        List<PipelineRun> runs = new ArrayList<>();
        for (StoredPipeline sp : list()) {
            for (Trigger t : sp.pipeline().spec().triggers()) {
                if (t instanceof Trigger.OnEvent e && eventName.equals(e.name())) {
                    runs.add(engine.submit(newRun(sp, new RunOrigin(TriggerKind.EVENT, eventName, null))));
                    break;
                }
            }
        }
        return runs;
    }

    /** The runs that the end of {@code run} starts through onEvent triggers naming its pipeline. */
    private List<NewRun> followUps(PipelineRun run) {
        List<NewRun> out = new ArrayList<>();
        for (StoredPipeline sp : list()) {
            for (Trigger t : sp.pipeline().spec().triggers()) {
                if (t instanceof Trigger.OnEvent e && run.pipeline().equals(e.pipeline()) && matches(e.result(), run.state())) {
                    out.add(newRun(sp, new RunOrigin(TriggerKind.EVENT, run.name() + " " + run.state(), null)));
                    break;
                }
            }
        }
        return out;
    }

    private static boolean matches(Trigger.OnEvent.Result want, RunState got) {
        return switch (want) {
            case SUCCEEDED -> got == RunState.SUCCEEDED;
            case FAILED -> got == RunState.FAILED || got == RunState.EXPIRED;
            case ANY -> got != RunState.CANCELLED;
        };
    }

    private NewRun newRun(StoredPipeline sp, RunOrigin origin) {
        Pipeline p = sp.pipeline();
        Instant now = clock.instant();
        return new NewRun(p.name(), sp.versionId(), p.spec().priority(),
                p.spec().deadline() == null ? null : now.plus(p.spec().deadline()), origin, now,
                needs.getOrDefault(p.name(), Amount.ZERO), p.spec().preemptible());
    }

    // ---------------------------------------------------------------- triggers

    private void subscribe(Pipeline p) throws PipelineRefusedException {
        List<String> subs = new ArrayList<>();
        List<Trigger> triggers = p.spec().triggers();
        try {
            for (int i = 0; i < triggers.size(); i++) {
                Trigger t = triggers.get(i);
                if (t instanceof Trigger.OnData d) {
                    Path dir = d.dataset() != null ? dataset(d.dataset()) : Path.of(d.path());
                    Files.createDirectories(dir);
                    String sub = p.name() + "/onData/" + dir + "/" + d.glob();
                    watcher.watch(sub, dir, d.glob(), new TriggeredRuns(p.name()));
                    subs.add("data:" + sub);
                } else if (t instanceof Trigger.Schedule s) {
                    String sub = p.name() + "/schedule/" + describe(s);
                    schedules.subscribe(sub, s, new TriggeredRuns(p.name()));
                    subs.add("schedule:" + sub);
                }
            }
        } catch (IOException | SQLException | RuntimeException e) {
            subscriptions.put(p.name(), subs);
            unsubscribe(p.name());
            throw new PipelineRefusedException("cannot subscribe the triggers of " + p.name(),
                    List.of(new FieldError("spec.triggers", null, String.valueOf(e.getMessage()))));
        }
        subscriptions.put(p.name(), subs);
    }

    private void unsubscribe(String name) {
        for (String s : subscriptions.getOrDefault(name, List.of())) {
            if (s.startsWith("data:")) watcher.unwatch(s.substring(5));
            else schedules.unsubscribe(s.substring(9));
        }
        subscriptions.remove(name);
    }

    /** A schedule in words, for run details and subscriber names. */
    public static String describe(Trigger.Schedule s) {
        if (s.cron() != null) return "cron " + s.cron().expression();
        if (s.every() != null) return "every " + s.every();
        return "at " + s.at();
    }

    /** Stores the run a trigger fired through the trigger's transaction; the engine picks it up once committed. */
    private QueuedRun store(Connection tx, String pipeline, RunOrigin origin) throws SQLException {
        StoredPipeline sp = current.get(pipeline);
        if (sp == null) throw new SQLException("pipeline " + pipeline + " was deleted");
        QueuedRun q = PipelineStore.createRun(tx, newRun(sp, origin));
        if (origin.file() != null) place(PipelineRun.name(pipeline, q.runId()), origin.file());
        return q;
    }

    /** Places the triggering file in a fresh workspace (an id rolled back earlier may have left one). */
    private void place(String runName, Path file) {
        Path dir = engine.workspaces().resolve(runName);
        FileStager.deleteTree(dir);
        RunWorkspace.open(engine.workspaces(), runName).placeTrigger(file);
    }

    /** A pipeline's data and schedule firings: each stores its run through the firing's transaction. */
    private final class TriggeredRuns implements DataSubscriber, ScheduleSubscriber {
        private final String pipeline;

        TriggeredRuns(String pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void onData(DataEvent event, Connection tx) throws Exception {
            store(tx, pipeline, new RunOrigin(TriggerKind.ON_DATA, event.path().toString(), event.path()));
        }

        @Override
        public void onSchedule(ScheduleFire fire, Connection tx) throws Exception {
            store(tx, pipeline, new RunOrigin(TriggerKind.SCHEDULE, fire.due() + (fire.catchUp() ? " (catch-up)" : ""),
                    null));
        }

        @Override
        public void committed(DataEvent event) {
            engine.wake();
        }

        @Override
        public void committed(ScheduleFire fire) {
            engine.wake();
        }
    }
}
