package io.orchide.node.pipeline.run;

import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.pipeline.queue.Amount;
import io.orchide.node.pipeline.queue.Dispatch;
import io.orchide.node.pipeline.queue.DurableRunQueue;
import io.orchide.node.pipeline.queue.Expiry;
import io.orchide.node.pipeline.queue.Preemption;
import io.orchide.node.pipeline.queue.QueuedRun;
import io.orchide.node.pipeline.queue.RunningStep;
import io.orchide.node.pipeline.workspace.ForEachItems;
import io.orchide.node.pipeline.workspace.OutputValues;
import io.orchide.node.pipeline.workspace.RunWorkspace;
import io.orchide.node.pipeline.workspace.UnresolvedInputException;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.attempt.AttemptContext;
import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.Timers;
import io.orchide.node.workload.Capacity;
import io.orchide.node.workload.Reservations;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.Supervisor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs pipeline runs: takes them from the durable queue as the node's free compute allows (preempting less
 * important preemptible runs for one that cannot start), runs their steps as monitors under the shim in DAG order
 * with forEach fan-out and when conditions (each attempt through the attempt engine, its retries from
 * {@link StepPolicy}), records every attempt and step result before it acts on it, and puts products in the outbox.
 * All state changes, exits and timers happen on one {@link EventLoop}, each piece of work one batch of writes (one
 * commit); monitors start on launcher threads once the batch that recorded their attempts committed
 * ({@link StepLaunches}). What an attempt's end means is {@link StepAttemptListener}'s; after a kill -9,
 * {@link RunRecovery} re-adopts running steps, re-runs interrupted ones and never redoes a step that succeeded.
 */
public final class RunEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunEngine.class.getName());

    private final PipelineStore store;
    private final DurableRunQueue queue;
    private volatile RunObserver observer = RunObserver.NONE;
    private final StepApps stepApps;
    private final Reservations reservations;
    private final Amount nodeCapacity;
    private final Admission admission;
    private volatile java.util.function.Predicate<QueuedRun> quotaGate = q -> true;
    private boolean recovered; // engine thread only: start() recovered the runs a previous agent left
    private final Outbox outbox;
    private final Clock clock;
    private final Path workspaces;
    private final EventLoop thread;
    private final Timers timers;
    private final AttemptContext attempts;
    private final StepMonitors monitors;
    private final RunRecovery recovery;
    private final Map<Long, ActiveRun> active = new LinkedHashMap<>();
    private final Map<Path, Instance> byDir = new HashMap<>();
    private final Map<Long, Timers.Timer> deadlines = new HashMap<>();
    private final Map<Long, List<CompletableFuture<PipelineRun>>> waiters = new HashMap<>();
    private volatile RunEndListener endListener = r -> List.of();
    private final AtomicBoolean pumpPending = new AtomicBoolean();
    private final AtomicBoolean newRuns = new AtomicBoolean(true);
    private final java.util.Set<ActiveRun> dirty = new java.util.LinkedHashSet<>();
    private final StepLaunches launches;
    private final StepAccelerators accelerators;
    private Timers.Timer wakeUp;
    private long seen;

    public RunEngine(PipelineStore store, DurableRunQueue queue, WorkloadLauncher launcher, Supervisor supervisor,
                     StepApps stepApps, Reservations reservations, Supplier<Capacity> free, Amount nodeCapacity,
                     Function<String, Integer> concurrency, Outbox outbox, Clock clock, Path runs, Path workspaces) {
        this(store, queue, launcher, supervisor, stepApps, reservations, free, nodeCapacity, concurrency, outbox, clock,
                runs, workspaces, null);
    }

    /** With {@code timers} other than the loop's (a test's hand-moved clock); they must run on the loop. */
    RunEngine(PipelineStore store, DurableRunQueue queue, WorkloadLauncher launcher, Supervisor supervisor,
              StepApps stepApps, Reservations reservations, Supplier<Capacity> free, Amount nodeCapacity,
              Function<String, Integer> concurrency, Outbox outbox, Clock clock, Path runs, Path workspaces,
              Timers timers) {
        this.store = store;
        this.queue = queue;
        this.stepApps = stepApps;
        this.reservations = reservations;
        this.nodeCapacity = nodeCapacity;
        this.outbox = outbox;
        this.clock = clock;
        this.workspaces = workspaces;
        this.launches = new StepLaunches();
        this.thread = new EventLoop("orchide-pipelines", clock, new EventLoop.Wrap() {
            @Override
            public <T> T around(Callable<T> work) throws Exception {
                store.beginBatch();
                try {
                    return work.call();
                } finally {
                    endBatch(); // what was done is kept even when the work failed half-way, as without a batch
                }
            }
        });
        this.launches.bind(thread, this::pump);
        this.timers = timers == null ? thread : timers;
        this.attempts = new AttemptContext(supervisor, this.timers, clock, launches);
        this.monitors = new StepMonitors(runs, launcher, stepApps);
        this.accelerators = new StepAccelerators(launcher.accelerators(), monitors, stepApps);
        this.admission = new Admission(queue, free, () -> accelerators.free(active.values()), concurrency,
                q -> quotaGate.test(q));
        // a step waiting for an accelerator may take the one given back (by a workload or a step of another run)
        launcher.accelerators().onRelease(() -> thread.execute(() -> {
            dirty.addAll(active.values());
            if (recovered) pump();
        }, "accelerators given back"));
        this.recovery = new RunRecovery(store, queue, stepApps, nodeCapacity, workspaces, clock);
    }

    /** Ends the loop's batch; the launches it held start only once it committed. */
    private void endBatch() {
        try {
            store.endBatch();
        } catch (RuntimeException e) {
            launches.rolledBack(e);
            throw e;
        }
        launches.committed();
    }

    /** Where steps' inputs that name a dataset take their files from (none until set: such an input fails). */
    public void datasetInputs(io.orchide.node.pipeline.workspace.DatasetSource source) {
        monitors.datasets(source);
    }

    /**
     * Starts a queued run only when {@code gate} lets it (its tenant's quota): asked on the engine thread before each
     * start, so a run it holds back stays queued and is asked about again at the next change.
     */
    public void quotaGate(java.util.function.Predicate<QueuedRun> gate) {
        this.quotaGate = gate;
    }

    public Path workspaces() {
        return workspaces;
    }

    public void onRunEnd(RunEndListener l) {
        this.endListener = l;
    }

    /**
     * Adds {@code o} to those told of runs started and step attempts ended (metrics, log summaries), after those
     * already told; none by default.
     */
    public synchronized void observe(RunObserver o) {
        if (o == null) return;
        RunObserver before = observer;
        this.observer = before == RunObserver.NONE ? o : RunObserver.both(before, o);
    }

    /** Restores running runs (re-adopting their monitors) and queued ones, then starts what fits. */
    public void start() {
        thread.get(() -> {
            recover();
            recovered = true;
            pump();
            return null;
        });
    }

    /** Looks for new runs in the store (stored by triggers on other connections) and starts what fits. */
    public void wake() {
        newRuns.set(true);
        if (pumpPending.compareAndSet(false, true)) thread.execute(this::pumpNow, "pipeline engine step");
    }

    /** Runs {@code task} on the engine's thread, the only one that uses the engine's database connection. */
    public <T> T onEngine(Callable<T> task) {
        return thread.get(task);
    }

    /** Called by the supervisor when a monitor under {@link #runsDir} ended. */
    public void exited(Path runDir, RawExit exit) {
        thread.execute(() -> {
            onExit(runDir, exit);
            pump();
        }, "handling the exit of " + runDir);
    }

    /** Stores and queues a run created here (manual runs, named events); returns it once stored. */
    public PipelineRun submit(NewRun r) {
        return submitWithFile(r, name -> { });
    }

    /** As {@link #submit}, calling {@code placeFile} with the run's name before its creation commits. */
    public PipelineRun submitWithFile(NewRun r, java.util.function.Consumer<String> placeFile) {
        return thread.get(() -> {
            QueuedRun q = store.createRun(r, x -> placeFile.accept(PipelineRun.name(x.pipeline(), x.runId())));
            newRuns.set(true);
            pump();
            return store.run(q.runId()).orElseThrow();
        });
    }

    /**
     * Cancels a queued or running run: a queued run ends at once, a running one once its steps have stopped.
     *
     * @throws IllegalStateException when it has already ended
     */
    public PipelineRun cancel(long id) {
        return thread.get(() -> {
            PipelineRun run = store.run(id).orElseThrow(() -> new IllegalArgumentException("no run " + id));
            if (run.state().ended()) throw new IllegalStateException("run " + run.name() + " already " + run.state());
            ActiveRun ar = active.get(id);
            if (ar != null) {
                endEarly(ar, ActiveRun.Ending.CANCEL, "cancelled by the operator");
            } else {
                queue.remove(id);
                finish(id, RunState.CANCELLED, "cancelled by the operator while queued");
            }
            pump();
            return store.run(id).orElseThrow();
        });
    }

    /** Completes with the run once it has ended. */
    public CompletableFuture<PipelineRun> awaitEnd(long id) {
        return thread.get(() -> {
            CompletableFuture<PipelineRun> f = new CompletableFuture<>();
            Optional<PipelineRun> run = store.run(id);
            if (run.isEmpty()) throw new IllegalArgumentException("no run " + id);
            if (run.get().state().ended()) f.complete(run.get());
            else waiters.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
            return f;
        });
    }

    /** Effective priority of a queued run now (with aging), or null when it is not queued. */
    public Integer effectivePriority(long id) {
        return thread.get(() -> queue.effectivePriority(id).orElse(null));
    }

    /** The names of the steps a running run is running now. */
    public List<String> runningSteps(long id) {
        return thread.get(() -> {
            ActiveRun ar = active.get(id);
            return ar == null ? List.of() : ar.runningSteps();
        });
    }

    /** Where the console of a step instance is kept. */
    public Path console(String runName, String step, Integer item) {
        return monitors.console(runName, step, item);
    }

    // ---------------------------------------------------------------- the loop

    private void pumpNow() {
        pumpPending.set(false);
        // triggers restored before start() may store runs and wake the engine at once: a run started before the
        // recovery would be recovered as the dead agent's (counted twice, its fresh attempt taken for interrupted);
        // newRuns stays set, so start() admits them
        if (!recovered) return;
        pump();
    }

    /** Admits new runs, expires late ones, starts what fits, preempts for a blocked critical run. */
    private void pump() {
        if (newRuns.getAndSet(false)) {
            for (QueuedRun q : queue.admitStoredAfter(seen)) seen = Math.max(seen, q.runId());
        }
        for (Expiry x : queue.expire()) finish(x.run().runId(), RunState.EXPIRED, x.reason());
        List<ActiveRun> changed = List.copyOf(dirty);
        dirty.clear();
        for (ActiveRun ar : changed) if (active.get(ar.run.id()) == ar) advance(ar);
        for (Optional<Dispatch> d = admission.next(); d.isPresent(); d = admission.next()) {
            if (!startRun(d.get())) break;
        }
        if (active.values().stream().noneMatch(a -> a.ending == ActiveRun.Ending.PREEMPT)) {
            admission.preemption(active.values()).ifPresent(this::preempt);
        }
        armWakeUp();
    }

    private void preempt(Preemption p) {
        QueuedRun critical = p.critical();
        for (RunningStep victim : p.victims()) {
            endEarly(active.get(victim.runId()), ActiveRun.Ending.PREEMPT, "preempted by run "
                    + PipelineRun.name(critical.pipeline(), critical.runId()) + " (priority "
                    + p.criticalPriority() + " over " + victim.priority() + ")");
        }
    }

    /** Starts a dispatched run; false when it went back to the queue, its accelerators taken meanwhile. */
    private boolean startRun(Dispatch d) {
        QueuedRun q = d.run();
        Optional<PipelineRun> stored = store.run(q.runId());
        if (stored.isEmpty() || stored.get().state() != RunState.QUEUED) return true;
        PipelineRun run = stored.get();
        // claimed before the start is recorded: a workload applied before its steps start cannot take them; the file
        // is written before the batch commits, and a reservation whose run never started is dropped at recovery
        if (!accelerators.reserve(run.name(), q.need().accelerators())) {
            queue.putBack(q);
            return false;
        }
        Pipeline p = store.version(run.versionId());
        RunWorkspace ws = RunWorkspace.open(workspaces, run.name());
        Instant now = clock.instant();
        store.runStarted(run.id(), now);
        run = store.run(run.id()).orElseThrow();
        observer.runStarted(run);
        ActiveRun ar = new ActiveRun(run, p, ws, q.need(), d.effectivePriority());
        ar.results.putAll(store.results(run.id())); // steps a preempted run had finished are not redone
        activate(ar);
        advance(ar);
        return true;
    }

    private void activate(ActiveRun ar) {
        accelerators.reserveAgain(ar);
        active.put(ar.run.id(), ar);
        dirty.add(ar);
        admission.started(ar.run.pipeline());
        reservations.hold(ar.name(), ar.pipeline.metadata().tenant(), new Capacity(ar.holds.vcpus(), ar.holds.memoryMiB()));
        if (ar.run.deadline() != null) {
            deadlines.put(ar.run.id(), timers.after(Duration.between(clock.instant(), ar.run.deadline()), () -> {
                if (active.get(ar.run.id()) == ar && ar.ending == ActiveRun.Ending.NONE) {
                    endEarly(ar, ActiveRun.Ending.EXPIRE, "deadline " + ar.run.deadline() + " passed while running "
                            + String.join(", ", ar.runningSteps()));
                    pump();
                }
            }));
        }
    }

    // ---------------------------------------------------------------- progress of one run

    /** Starts what is ready in {@code ar}, concludes steps, and ends the run when every step has a result. */
    private void advance(ActiveRun ar) {
        if (ar.ending != ActiveRun.Ending.NONE) {
            if (ar.running().isEmpty()) finishEarly(ar);
            return;
        }
        for (Step step : ar.order) {
            if (ar.results.containsKey(step.name())) continue;
            if (!step.after().stream().allMatch(ar.results::containsKey)) continue;
            List<Instance> insts = ar.instances.get(step.name());
            if (insts == null) {
                if (!decideToRun(ar, step)) continue;
                insts = ar.instances.get(step.name());
            }
            startReady(ar, step, insts);
            if (insts.stream().allMatch(Instance::concluded)) {
                boolean ok = insts.stream().allMatch(Instance::succeeded);
                String msg = ok ? null : insts.stream().filter(i -> !i.succeeded()).map(i -> i.attempt.message())
                        .findFirst().orElse(null);
                conclude(ar, step, ok ? StepState.SUCCEEDED : StepState.FAILED,
                        step.forEach() == null ? null : insts.size(), msg);
            }
        }
        if (ar.results.size() == ar.pipeline.spec().steps().size() && ar.running().isEmpty()) {
            String failure = ar.failure();
            endRun(ar, failure != null ? RunState.FAILED : RunState.SUCCEEDED, failure);
        }
    }

    /**
     * Whether a step whose predecessors all have a result runs: with {@code when}, if it holds; without, if they
     * all succeeded. Creates its instances (one per forEach item); concludes it at once when skipped, when its
     * items cannot be found, or when there are none.
     */
    private boolean decideToRun(ActiveRun ar, Step step) {
        boolean go;
        String why;
        if (step.when() != null) {
            go = step.when().evaluate(new OutputValues(ar.pipeline, ar.ws, ar.exitCodes()));
            why = "when " + step.when().text() + " is false";
        } else {
            go = step.after().stream().allMatch(a -> ar.results.get(a).state() == StepState.SUCCEEDED);
            why = "a step it comes after did not succeed";
        }
        if (!go) {
            conclude(ar, step, StepState.SKIPPED, null, why);
            return false;
        }
        Amount one = stepApps.instanceNeed(step).orElse(null);
        if (one == null) {
            conclude(ar, step, StepState.FAILED, null, "no App named " + step.app() + " on this node");
            return false;
        }
        List<Instance> insts = new ArrayList<>();
        if (step.forEach() == null) {
            insts.add(new Instance(step.name(), null, one));
        } else {
            int n;
            try {
                n = ForEachItems.of(ar.pipeline, step.name(), ar.ws, ar.succeeded()).size();
            } catch (UnresolvedInputException e) {
                conclude(ar, step, StepState.FAILED, null, e.getMessage());
                return false;
            }
            if (n == 0) {
                conclude(ar, step, StepState.SUCCEEDED, 0, "no items");
                return false;
            }
            for (int i = 0; i < n; i++) insts.add(new Instance(step.name(), i, one));
        }
        ar.instances.put(step.name(), insts);
        return true;
    }

    private void startReady(ActiveRun ar, Step step, List<Instance> insts) {
        int cap = StepApps.parallelism(step, insts.get(0).need, nodeCapacity);
        Instant now = clock.instant();
        for (Instance inst : insts) {
            if (!inst.pending()) continue;
            if (insts.stream().filter(Instance::running).count() >= cap) return;
            // compute only: the pool decides on accelerators (StepAccelerators.take), so that a run whose reservation
            // predates its step's App asking for one still gets one once it is free
            if (!ar.holds.minus(ar.inUse()).fits(new Amount(inst.need.vcpus(), inst.need.memoryMiB()))) return;
            if (inst.notBefore != null && inst.notBefore.isAfter(now)) continue;
            if (!accelerators.take(ar, step, inst)) return;
            launch(ar, step, inst);
        }
    }

    private void conclude(ActiveRun ar, Step step, StepState state, Integer items, String message) {
        StepResult r = new StepResult(ar.run.id(), step.name(), state, items, message, clock.instant());
        store.putResult(r);
        ar.results.put(step.name(), r);
    }

    // ---------------------------------------------------------------- one attempt

    private void launch(ActiveRun ar, Step step, Instance inst) {
        int attemptNo = inst.attempt == null ? 1 : inst.attempt.attempt() + 1;
        Path runDir = monitors.runDir(ar.name(), step.name(), inst.item, attemptNo);
        inst.notBefore = null;
        inst.app = null;
        inst.attempt = new StepAttempt(ar.run.id(), step.name(), inst.item, attemptNo, StepState.RUNNING, runDir,
                null, null, null, clock.instant(), null);
        attach(ar, step, inst, runDir).start();
    }

    /** The attempt of {@code inst} in {@code runDir}: its exits are routed to it, its news to the engine. */
    private Attempt attach(ActiveRun ar, Step step, Instance inst, Path runDir) {
        Attempt a = new Attempt(runDir, step.timeout(), monitors.launcher(ar, step, inst.item), attempts,
                new StepAttemptListener(store, outbox, clock, attemptOwner, ar, step, inst));
        byDir.put(runDir, inst); // its exit is handled on this thread, after this work
        inst.run = a;
        return a;
    }

    private final StepAttemptListener.Owner attemptOwner = new StepAttemptListener.Owner() {
        @Override
        public void detached(Attempt attempt) {
            byDir.remove(attempt.runDir());
        }

        @Override
        public boolean owns(ActiveRun ar) {
            return active.get(ar.run.id()) == ar;
        }

        @Override
        public void changed(ActiveRun ar) {
            dirty.add(ar);
        }

        @Override
        public void attemptEnded(ActiveRun ar, StepAttempt attempt) {
            observer.attemptEnded(ar.run, attempt);
        }
    };

    private void onExit(Path runDir, RawExit raw) {
        Instance inst = byDir.get(runDir);
        if (inst != null && inst.run != null && inst.run.runDir().equals(runDir)) inst.run.exited(raw);
    }

    // ---------------------------------------------------------------- ending runs

    private void endEarly(ActiveRun ar, ActiveRun.Ending why, String reason) {
        if (ar.ending != ActiveRun.Ending.NONE) return;
        ar.ending = why;
        ar.endingReason = reason;
        dirty.add(ar);
        for (Instance i : ar.running()) if (i.run != null) i.run.stop(reason);
        if (ar.running().isEmpty()) finishEarly(ar);
    }

    /** Once nothing of the run runs any more: cancelled, expired, or (preempted) back in the queue. */
    private void finishEarly(ActiveRun ar) {
        switch (ar.ending) {
            case CANCEL -> endRun(ar, RunState.CANCELLED, ar.endingReason);
            case EXPIRE -> endRun(ar, RunState.EXPIRED, ar.endingReason);
            case PREEMPT -> requeue(ar);
            case NONE -> { }
        }
    }

    /** Discards the partial work of the steps in progress and puts the run back at its place in the queue. */
    private void requeue(ActiveRun ar) {
        for (String step : ar.instances.keySet()) {
            if (ar.results.containsKey(step)) continue;
            ar.ws.discard(step);
            store.deleteAttempts(ar.run.id(), step);
        }
        deactivate(ar);
        store.runRequeued(ar.run.id(), ar.endingReason);
        queue.enqueue(ar.run.queued(ar.holds, ar.pipeline.spec().preemptible()));
    }

    private void endRun(ActiveRun ar, RunState state, String reason) {
        deactivate(ar);
        finish(ar.run.id(), state, reason);
    }

    private void deactivate(ActiveRun ar) {
        if (active.remove(ar.run.id()) != null) admission.ended(ar.run.pipeline());
        reservations.release(ar.name());
        accelerators.unreserve(ar.name());
        Timers.Timer d = deadlines.remove(ar.run.id());
        if (d != null) d.cancel();
    }

    /** Records the end of a run with the runs it starts, in one transaction, and tells those waiting for it. */
    private void finish(long id, RunState state, String reason) {
        PipelineRun r = store.run(id).orElseThrow();
        Instant now = clock.instant();
        PipelineRun ended = r.ended(state, reason, now);
        List<NewRun> followUps = List.of();
        if (state != RunState.CANCELLED) {
            try {
                followUps = endListener.followUps(ended);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onEvent triggers failed for " + r.name(), e);
            }
        }
        store.runEnded(id, state, reason, now, followUps);
        if (!followUps.isEmpty()) wake();
        List<CompletableFuture<PipelineRun>> ws = waiters.remove(id);
        if (ws != null) {
            store.commit(); // those told read the run through other connections: the end must be visible to them
            ws.forEach(f -> f.complete(ended));
        }
    }

    /** Wakes the loop for the earliest retry, so that a step waiting for its backoff starts on time. */
    private void armWakeUp() {
        Instant next = null;
        for (ActiveRun ar : active.values()) {
            Instant due = ar.nextRetry();
            if (due != null && (next == null || due.isBefore(next))) next = due;
        }
        if (wakeUp != null) wakeUp.cancel();
        wakeUp = null;
        if (next != null) {
            wakeUp = timers.after(Duration.between(clock.instant(), next).plusMillis(1), () -> {
                dirty.addAll(active.values()); // a retry is due somewhere
                pump();
            });
        }
    }

    // ---------------------------------------------------------------- recovery

    private void recover() {
        accelerators.keepReservations(store.runsIn(RunState.RUNNING).stream().map(PipelineRun::name)
                .collect(java.util.stream.Collectors.toSet()));
        seen = recovery.recover(new RunRecovery.Engine() {
            @Override
            public void activate(ActiveRun ar) {
                RunEngine.this.activate(ar);
            }

            @Override
            public boolean decideToRun(ActiveRun ar, Step step) {
                return RunEngine.this.decideToRun(ar, step);
            }

            @Override
            public Attempt attach(ActiveRun ar, Step step, Instance inst, Path runDir) {
                return RunEngine.this.attach(ar, step, inst, runDir);
            }

            @Override
            public void finish(long runId, RunState state, String reason) {
                RunEngine.this.finish(runId, state, reason);
            }
        });
    }

    /** Stops the loop; running steps keep running under their shims and are re-adopted at the next start. */
    @Override
    public void close() {
        thread.close();
        launches.close();
    }
}
