package io.orchide.node.workload;

import io.orchide.model.RuntimeSpec;
import io.orchide.node.attempt.Attempt;
import io.orchide.node.attempt.AttemptContext;
import io.orchide.node.attempt.AttemptEnd;
import io.orchide.node.attempt.AttemptLauncher;
import io.orchide.node.attempt.AttemptListener;
import io.orchide.node.attempt.AttemptPolicy;
import io.orchide.node.attempt.AttemptState;
import io.orchide.node.attempt.Timers;
import io.orchide.model.codec.Durations;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.RunRecord;
import io.orchide.node.store.RunRecord.RunState;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * One workload: runs its attempts through the attempt engine, asks {@link AppPolicy} what follows each end
 * (restart after a backoff, crash loop, or stay ended), and carries out the operator's start, stop, restart and
 * reconfigure. Every transition is stored before it takes effect. Confined to the workloads' loop: calls, exits
 * and timers all arrive there.
 *
 * <p>Its attempts form series: one begins when the workload is created, reconfigured or started by the operator,
 * and every further attempt of the series is a restart (by the policy, or by the operator's restart). The number
 * of restarts shown is the current series' length less one, stored as each run's attempt number, so that it is
 * the same in every view and after an agent restart.
 */
final class WorkloadController {
    private static final int RUNS_KEPT = 10;

    private final String name;
    private final NodeStore store;
    private final WorkloadLauncher launcher;
    private final AttemptContext ctx;

    private WorkloadRecord record;
    private boolean unsaved; // a new workload's record, stored with its first run in one commit
    private WorkloadState state = WorkloadState.PENDING;
    private String message = "";
    private RunRecord run;            // the latest run
    private Attempt current;          // the engine's attempt of the latest run, until it ends
    private Attempt recorded;         // the attempt whose run is stored already (a first start commits early)
    private RuntimeSpec resolvedRuntime;
    private Ending ending = Ending.NONE;
    private String starting = "";      // why the attempt now starting was started
    private int series;               // attempts in the current series
    private int consecutiveFailures;  // failed attempts since the last success, start or reconfigure: the backoff
    private int runDirs;              // the number of the newest run directory
    private Timers.Timer backoff;
    private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();
    private final List<StateWaiter> stateWaiters = new ArrayList<>();

    /** A caller waiting for the workload to reach one of some states. */
    private record StateWaiter(Set<WorkloadState> states, CompletableFuture<WorkloadState> future) {
    }

    WorkloadController(WorkloadRecord record, NodeStore store, WorkloadLauncher launcher, AttemptContext ctx) {
        this.name = record.name();
        this.record = record;
        this.store = store;
        this.launcher = launcher;
        this.ctx = ctx;
        store.latestRun(name).ifPresent(r -> {
            this.run = r;
            this.series = r.attempt();
            this.runDirs = runDirNumber(r);
        });
    }

    private static int runDirNumber(RunRecord r) {
        try {
            return Integer.parseInt(r.runDir().getFileName().toString());
        } catch (NumberFormatException e) {
            return r.attempt();
        }
    }

    WorkloadRecord record() { return record; }

    WorkloadState state() { return state; }

    String message() { return message; }

    RunningWorkload process() { return current == null ? null : current.process(); }

    /** The runtime the App resolved to at its last launch; the manifest's until then. */
    RuntimeSpec runtime() {
        return resolvedRuntime != null ? resolvedRuntime : record.app().spec().runtime();
    }

    int restarts() { return Math.max(0, series - 1); }

    boolean owns(Path runDir) { return current != null && current.runDir().equals(runDir); }

    /** Records a change of the stored desired state that needs no action of its own. */
    void updateRecord(WorkloadRecord changed) { this.record = changed; }

    /** The operator's start: a new series, unless an attempt is active. */
    void start() {
        if (current != null) return;
        cancelBackoff();
        consecutiveFailures = 0;
        series = 0;
        launch("started");
    }

    /** Applies a changed spec: the running attempt (if any) is stopped gracefully and the new generation started. */
    void reconfigure(WorkloadRecord changed) {
        this.record = changed;
        consecutiveFailures = 0;
        String why = "reconfiguring to generation " + changed.generation();
        if (current != null) {
            endCurrent(Ending.RECONFIGURE, why, why);
        } else {
            cancelBackoff();
            series = 0;
            launch("started generation " + changed.generation());
        }
    }

    /** The operator's restart: counted as a restart of the current series. */
    void restart() {
        consecutiveFailures = 0;
        if (current != null) {
            endCurrent(Ending.RESTART, "restarting", "restarted by the user");
        } else {
            cancelBackoff();
            launch("restarted");
        }
    }

    /** Stops the workload; the future completes when its monitor has exited. */
    CompletableFuture<Void> stop(WorkloadRecord stopped) {
        this.record = stopped;
        cancelBackoff();
        if (current == null) {
            if (state.holdsResources()) transition(WorkloadState.STOPPED, "stopped by the user");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        stopWaiters.add(f);
        if (ending != Ending.STOP) endCurrent(Ending.STOP, "stopping", "stopped by the user");
        return f;
    }

    private void endCurrent(Ending why, String event, String reason) {
        ending = why;
        transition(WorkloadState.STOPPING, event);
        current.stop(reason);
    }

    /** Takes back the active run an earlier agent process left: re-adopted, its exit reported, or interrupted. */
    void recoverActive() {
        current = newAttempt(run.runDir());
        current.readopt(run.startedAt());
        if (current != null && record.desired() == WorkloadRecord.Desired.STOPPED) stop(record);
    }

    /** Restores a workload whose last run ended: decide from the store what to do now. */
    void recoverIdle() {
        if (record.desired() == WorkloadRecord.Desired.STOPPED) {
            state = WorkloadState.STOPPED;
            message = "stopped";
            return;
        }
        if (run == null || run.state() == RunState.STOPPED) {
            series = 0;
            launch("started");
            return;
        }
        AttemptState s = run.state() == RunState.FAILED_TO_START ? AttemptState.LAUNCH_FAILED : AttemptState.EXITED;
        Instant ended = run.endedAt() != null ? run.endedAt() : run.startedAt();
        settle(new AttemptEnd(s, Boolean.TRUE.equals(run.success()), null, run.guestCode(),
                run.reason() == null ? "ended" : run.reason(), run.startedAt(), ended), "restored");
    }

    /** The monitor of {@code runDir} ended. */
    void exited(Path runDir, RawExit raw) {
        if (owns(runDir)) current.exited(raw);
    }

    /**
     * The first start of a newly applied workload. Its preparation (image, run directory, driver) runs on
     * {@code preparer} while this loop commits the workload's record with its first run; the monitor is spawned only
     * once both are done, so an attempt is durable before its monitor exists, as for every other start. A
     * preparation error (image, monitor, devices) takes the commit back and is thrown to the caller, which refuses the
     * manifest: nothing is left of it. An agent killed after the commit and before the spawn finds the run active and
     * without a monitor at its next start: it is interrupted and started again.
     */
    void firstStart(Executor preparer) throws LaunchException {
        unsaved = true;
        Attempt a = nextAttempt("started");
        // the attempt is the preparer's alone until the join below: this loop touches only the store meanwhile
        FutureTask<Void> preparing = new FutureTask<>(() -> {
            a.prepare();
            return null;
        });
        preparer.execute(preparing);
        recordStarting(a);
        Throwable failed = null;
        try {
            preparing.get();
        } catch (ExecutionException e) {
            failed = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = e;
        }
        if (failed != null) {
            current = null;
            series--;
            runDirs--;
            store.deleteWorkload(name); // the commit made beside the preparation is taken back
            WorkloadLauncher.deleteTree(a.runDir());
            if (failed instanceof LaunchException l) throw l;
            throw new LaunchException(null, a.runDir().toString(), "cannot prepare: " + failed.getMessage(), failed);
        }
        a.start();
    }

    /** Stores the run now starting (with the workload's record when it is new) and its event, in one commit. */
    private void recordStarting(Attempt a) {
        Instant now = ctx.clock().instant();
        store.atomically(() -> {
            if (unsaved) store.putWorkload(record);
            run = store.insertRun(name, record.generation(), series, a.runDir(), now);
            transition(WorkloadState.STARTING, starting);
        });
        unsaved = false;
        recorded = a;
    }

    private void launch(String why) {
        nextAttempt(why).start();
    }

    private Attempt nextAttempt(String why) {
        cancelBackoff();
        series++;
        starting = why;
        current = newAttempt(launcher.runDir(name, ++runDirs));
        return current;
    }

    private Attempt newAttempt(Path runDir) {
        AttemptLauncher l = new AttemptLauncher() {
            @Override
            public Prepared prepare(Path dir) throws LaunchException {
                WorkloadLauncher.PreparedRun p = launcher.prepare(record.app(), dir);
                return () -> launcher.start(p, name);
            }

            @Override
            public Resolved resolve(Path dir) throws LaunchException {
                WorkloadLauncher.ResolvedApp r = launcher.resolve(record.app());
                return new Resolved(r.app(), r.driver());
            }

            @Override
            public void ended(Path dir) {
                launcher.release(dir);
            }
        };
        return new Attempt(runDir, record.app().spec().resources().timeout(), l, ctx, new Listener());
    }

    /** What the engine tells this workload about its attempts; only the current attempt's news counts. */
    private final class Listener implements AttemptListener {
        @Override
        public void starting(Attempt a) {
            if (a != current || a == recorded) return;
            recordStarting(a);
        }

        @Override
        public void running(Attempt a, String why) {
            if (a != current) return;
            resolvedRuntime = a.launched().resolved().spec().runtime();
            RunningWorkload p = a.process();
            if (run.state() == RunState.STARTING) {
                store.atomically(() -> {
                    store.runStarted(run.id(), p.shimPid(), p.monitorPid(), p.startedAt());
                    transition(WorkloadState.RUNNING, why);
                });
                run = store.latestRun(name).orElse(run);
            } else {
                transition(WorkloadState.RUNNING, why);
            }
        }

        @Override
        public void timedOut(Attempt a, String why) {
            if (a == current) transition(WorkloadState.STOPPING, why);
        }

        @Override
        public void note(Attempt a, String text) {
            if (a == current) store.addEvent(name, ctx.clock().instant(), state.wire(), text);
        }

        @Override
        public void ended(Attempt a, AttemptEnd end) {
            if (a != current) return;
            current = null;
            record(end);
            Ending why = ending;
            ending = Ending.NONE;
            stopWaiters.forEach(f -> f.complete(null));
            stopWaiters.clear();
            pruneRuns();
            switch (why) {
                case STOP -> transition(WorkloadState.STOPPED, end.reason());
                case RESTART -> launch("restarted");
                case RECONFIGURE -> {
                    series = 0;
                    launch("started generation " + record.generation());
                }
                case NONE -> {
                    if (record.desired() == WorkloadRecord.Desired.STOPPED) {
                        transition(WorkloadState.STOPPED, "stopped; " + end.reason());
                    } else if (end.state() == AttemptState.INTERRUPTED) {
                        launch("restarted after its run was interrupted");
                    } else {
                        settle(end, end.state() == AttemptState.LAUNCH_FAILED || end.state() == AttemptState.REFUSED ? "failed" : "ended");
                    }
                }
            }
        }
    }

    /**
     * Stores how the run ended: a kill, a timeout or a stop is a state with its reason, and carries an exit status
     * only where the guest itself reported one; a stop is neither success nor failure.
     */
    private void record(AttemptEnd end) {
        RunState s = switch (end.state()) {
            case LAUNCH_FAILED, REFUSED -> RunState.FAILED_TO_START;
            case STOPPED -> RunState.STOPPED;
            default -> RunState.ENDED;
        };
        RawExit raw = end.state() == AttemptState.EXITED ? end.raw() : null;
        Integer code = raw == null || raw.signalled() ? null : raw.code();
        Integer signal = raw == null ? null : raw.signal();
        Boolean success = end.state() == AttemptState.STOPPED ? null : Boolean.valueOf(end.success());
        store.runEnded(run.id(), s, end.endedAt(), code, signal, end.guestCode(), success, end.reason());
        run = store.latestRun(name).orElse(run);
    }

    private void settle(AttemptEnd end, String verb) {
        if (end.success()) consecutiveFailures = 0;
        Instant window = ctx.clock().instant().minus(record.app().spec().restart().crashLoopWindow());
        RestartDecision d = new AppPolicy(record.app().spec().restart()).after(end,
                new AttemptPolicy.History(consecutiveFailures, store.failuresSince(name, window)));
        String text = verb + ": " + end.reason();
        if (!d.restart()) {
            transition(d.state(), text);
            return;
        }
        consecutiveFailures++;
        transition(d.state(), text + "; restarting in " + Durations.format(d.delay()));
        backoff = ctx.timers().after(d.delay(), this::restartAfterBackoff);
    }

    private void restartAfterBackoff() {
        backoff = null;
        if (current != null || record.desired() != WorkloadRecord.Desired.RUNNING) return;
        launch("restarted after backoff (restart " + consecutiveFailures + ")");
    }

    private void transition(WorkloadState next, String why) {
        state = next;
        message = why;
        store.addEvent(name, ctx.clock().instant(), next.wire(), why);
        stateWaiters.removeIf(w -> w.states().contains(next) && w.future().complete(next));
    }

    /** Completes when the workload is (or next becomes) in one of {@code states}. */
    CompletableFuture<WorkloadState> until(Set<WorkloadState> states) {
        if (states.contains(state)) return CompletableFuture.completedFuture(state);
        StateWaiter w = new StateWaiter(states, new CompletableFuture<>());
        stateWaiters.removeIf(x -> x.future().isDone());
        stateWaiters.add(w);
        return w.future();
    }

    private void cancelBackoff() {
        if (backoff != null) backoff.cancel();
        backoff = null;
    }

    private void pruneRuns() {
        for (Path dir : store.pruneRuns(name, RUNS_KEPT)) WorkloadLauncher.deleteTree(dir);
    }
}
