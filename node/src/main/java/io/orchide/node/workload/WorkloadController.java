package io.orchide.node.workload;

import io.orchide.node.attempt.LaunchedRun;
import io.orchide.model.App;
import io.orchide.model.RuntimeSpec;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.RunRecord;
import io.orchide.node.store.RunRecord.RunState;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.runtime.Driver;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The state machine of one workload: launches runs, reacts to their exits with the restart policy, stops them
 * gracefully then forcibly, and enforces the timeout. Every transition is stored before it takes effect.
 * All methods hold this object's lock; exits and timers arrive on other threads.
 */
final class WorkloadController {
    private static final Duration KILL_CONFIRM = Duration.ofSeconds(5);
    private static final int RUNS_KEPT = 10;

    private final String name;
    private final NodeStore store;
    private final WorkloadLauncher launcher;
    private final Supervisor supervisor;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private WorkloadRecord record;
    private WorkloadState state = WorkloadState.PENDING;
    private String message = "";
    private RunRecord run;
    private LaunchedRun launched;
    private RuntimeSpec resolvedRuntime;
    private Ending ending = Ending.NONE;
    private int consecutiveRestarts;
    private int attempt;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> timeout;
    private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();
    private final List<StateWaiter> stateWaiters = new ArrayList<>();

    /** A caller waiting for the workload to reach one of some states. */
    private record StateWaiter(Set<WorkloadState> states, CompletableFuture<WorkloadState> future) {
    }

    WorkloadController(WorkloadRecord record, NodeStore store, WorkloadLauncher launcher, Supervisor supervisor,
                       Clock clock, ScheduledExecutorService scheduler) {
        this.name = record.name();
        this.record = record;
        this.store = store;
        this.launcher = launcher;
        this.supervisor = supervisor;
        this.clock = clock;
        this.scheduler = scheduler;
        store.latestRun(name).ifPresent(r -> {
            this.run = r;
            this.attempt = r.attempt();
        });
    }

    synchronized WorkloadRecord record() { return record; }

    synchronized WorkloadState state() { return state; }

    synchronized String message() { return message; }

    synchronized RunningWorkload process() { return launched == null ? null : launched.process(); }

    /** The runtime the App resolved to at its last launch; the manifest's until then. */
    synchronized RuntimeSpec runtime() {
        return resolvedRuntime != null ? resolvedRuntime : record.app().spec().runtime();
    }

    synchronized int restarts() { return Math.max(0, attempt - 1); }

    synchronized boolean owns(Path runDir) { return run != null && run.runDir().equals(runDir); }

    /** Records a change of the stored desired state that needs no action of its own. */
    synchronized void updateRecord(WorkloadRecord changed) { this.record = changed; }

    /** Starts a run unless one is active or about to be. */
    synchronized void start() {
        if (launched != null || state == WorkloadState.STARTING) return;
        cancelTimer();
        consecutiveRestarts = 0;
        launch("started");
    }

    /** Applies a changed spec: the running run (if any) is stopped gracefully and a new one started. */
    synchronized void reconfigure(WorkloadRecord changed) {
        this.record = changed;
        consecutiveRestarts = 0;
        if (launched != null) {
            transition(WorkloadState.STOPPING, "reconfiguring to generation " + changed.generation());
            requestEnd(Ending.RESTART);
        } else {
            cancelTimer();
            launch("started generation " + changed.generation());
        }
    }

    synchronized void restart() {
        consecutiveRestarts = 0;
        if (launched != null) {
            transition(WorkloadState.STOPPING, "restarting");
            requestEnd(Ending.RESTART);
        } else {
            cancelTimer();
            launch("restarted");
        }
    }

    /** Stops the workload; the future completes when its monitor has exited. */
    synchronized CompletableFuture<Void> stop(WorkloadRecord stopped) {
        this.record = stopped;
        cancelTimer();
        if (launched == null) {
            if (state.holdsResources()) transition(WorkloadState.STOPPED, "stopped");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        stopWaiters.add(f);
        if (ending != Ending.STOP) {
            transition(WorkloadState.STOPPING, "stopping");
            requestEnd(Ending.STOP);
        }
        return f;
    }

    /** Takes over a run that an earlier agent process started and that still runs. */
    synchronized void adopted(RunningWorkload process, App resolved, Driver driver) {
        launched = new LaunchedRun(resolved, driver, process);
        resolvedRuntime = resolved.spec().runtime();
        state = WorkloadState.RUNNING;
        message = "re-adopted after agent restart";
        store.addEvent(name, clock.instant(), state.wire(), message);
        scheduleTimeout(process.startedAt());
        if (record.desired() == WorkloadRecord.Desired.STOPPED) {
            stop(record);
        }
    }

    /** Restores a workload whose last run needs no re-adoption: decide from the store what to do now. */
    synchronized void recoverIdle(String why) {
        if (record.desired() == WorkloadRecord.Desired.STOPPED) {
            state = WorkloadState.STOPPED;
            message = "stopped";
            return;
        }
        if (run == null || why != null) {
            launch(why == null ? "started" : why);
            return;
        }
        boolean success = Boolean.TRUE.equals(run.success());
        settle(success, run.reason(), "restored");
    }

    /** The monitor of {@code runDir} ended. */
    synchronized void exited(Path runDir, RawExit raw) {
        if (run == null || !run.runDir().equals(runDir) || !run.active()) return;
        ExitStatus status = decode(raw);
        boolean success = status.success() && ending != Ending.TIMEOUT;
        String reason = ending == Ending.TIMEOUT
                ? "timed out after " + record.app().spec().resources().timeout() + " (" + status.reason() + ")"
                : status.reason();
        store.runEnded(run.id(), RunState.ENDED, raw.at() == null ? clock.instant() : raw.at(), raw.code(),
                raw.signal(), status.guestCode(), success, reason);
        run = store.latestRun(name).orElse(run);
        if (launched != null) launched.driver().cleanup(launched.resolved(), runDir);
        launched = null;
        cancelTimer();
        cancelTimeout();
        Ending why = ending;
        ending = Ending.NONE;
        stopWaiters.forEach(f -> f.complete(null));
        stopWaiters.clear();
        pruneRuns();
        switch (why) {
            case STOP -> transition(WorkloadState.STOPPED, "stopped (" + reason + ")");
            case RESTART -> launch("restarted");
            default -> settle(success, reason, "ended");
        }
    }

    private ExitStatus decode(RawExit raw) {
        if (launched != null) return launched.driver().decode(launched.resolved(), raw);
        try {
            WorkloadLauncher.ResolvedApp r = launcher.resolve(record.app()); // an exit found after an agent restart
            return r.driver().decode(r.app(), raw);
        } catch (LaunchException | RuntimeException e) {
            boolean ok = raw.code() == 0 && raw.signal() == 0;
            return new ExitStatus(raw, null, ok, raw.signal() != 0 ? "killed by signal " + raw.signal()
                    : "exited with status " + raw.code());
        }
    }

    private void settle(boolean success, String reason, String verb) {
        if (success) consecutiveRestarts = 0;
        Instant window = clock.instant().minus(record.app().spec().restart().crashLoopWindow());
        RestartDecision d = RestartDecision.after(record.app().spec().restart(), success, consecutiveRestarts,
                store.failuresSince(name, window));
        if (!d.restart()) {
            transition(d.state(), verb + ": " + reason);
            return;
        }
        consecutiveRestarts++;
        transition(d.state(), verb + ": " + reason + "; restarting in " + d.delay().toMillis() + " ms");
        timer = scheduler.schedule(this::restartAfterBackoff,
                io.orchide.model.time.ScaledClock.realDelay(clock, d.delay()).toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void restartAfterBackoff() {
        timer = null;
        if (launched != null || record.desired() != WorkloadRecord.Desired.RUNNING) return;
        launch("restarted after backoff (restart " + consecutiveRestarts + ")");
    }

    /**
     * The first start of a newly applied workload: a preparation error (image, monitor, devices) is thrown to
     * the caller, which refuses the manifest, and nothing is recorded of the attempt.
     */
    synchronized void firstStart() throws LaunchException {
        launch("started", true);
    }

    private void launch(String why) {
        try {
            launch(why, false);
        } catch (LaunchException e) {
            throw new IllegalStateException("unreachable: preparation errors are recorded", e);
        }
    }

    private void launch(String why, boolean refuseUnprepared) throws LaunchException {
        int next = attempt + 1;
        Path runDir = launcher.runDir(name, next);
        WorkloadLauncher.PreparedRun prepared = null;
        LaunchException failure = null;
        try {
            prepared = launcher.prepare(record.app(), runDir);
        } catch (LaunchException e) {
            if (refuseUnprepared) {
                WorkloadLauncher.deleteTree(runDir);
                throw e;
            }
            failure = e;
        }
        attempt = next;
        Instant now = clock.instant();
        store.atomically(() -> {
            run = store.insertRun(name, record.generation(), next, runDir, now);
            transition(WorkloadState.STARTING, why);
        });
        try {
            if (failure != null) throw failure;
            launched = launcher.start(prepared, name);
            resolvedRuntime = launched.resolved().spec().runtime();
            RunningWorkload p = launched.process();
            store.atomically(() -> {
                store.runStarted(run.id(), p.shimPid(), p.monitorPid(), p.startedAt());
                transition(WorkloadState.RUNNING, "monitor pid " + p.monitorPid());
            });
            run = store.latestRun(name).orElse(run);
            scheduleTimeout(p.startedAt());
        } catch (LaunchException | RuntimeException e) {
            launched = null;
            String reason = "launch failed: " + e.getMessage();
            store.runEnded(run.id(), RunState.FAILED_TO_START, clock.instant(), null, null, null, false, reason);
            run = store.latestRun(name).orElse(run);
            settle(false, reason, "failed");
        }
    }

    private void requestEnd(Ending why) {
        ending = why;
        LaunchedRun l = launched;
        try {
            l.driver().requestStop(l.resolved(), l.process());
        } catch (RuntimeException e) {
            store.addEvent(name, clock.instant(), state.wire(), "graceful stop failed: " + e.getMessage());
        }
        Duration grace = l.driver().defaultGrace();
        cancelTimer();
        timer = scheduler.schedule(() -> escalate(l), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void escalate(LaunchedRun l) {
        if (launched != l) return;
        store.addEvent(name, clock.instant(), state.wire(), "grace period over, killing");
        try {
            l.driver().kill(l.resolved(), l.process());
        } catch (RuntimeException e) {
            store.addEvent(name, clock.instant(), state.wire(), "kill failed: " + e.getMessage());
        }
        timer = scheduler.schedule(() -> lastResort(l), KILL_CONFIRM.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void lastResort(LaunchedRun l) {
        if (launched != l) return;
        supervisor.signal(l.process(), 9);
    }

    private void scheduleTimeout(Instant startedAt) {
        cancelTimeout();
        Duration limit = record.app().spec().resources().timeout();
        if (limit == null) return;
        long delay = Math.max(0, Duration.between(clock.instant(), startedAt.plus(limit)).toMillis());
        LaunchedRun l = launched;
        timeout = scheduler.schedule(() -> timedOut(l), delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void timedOut(LaunchedRun l) {
        if (launched != l || ending != Ending.NONE) return;
        transition(WorkloadState.STOPPING, "timeout of " + record.app().spec().resources().timeout() + " reached");
        requestEnd(Ending.TIMEOUT);
    }

    private void transition(WorkloadState next, String why) {
        state = next;
        message = why;
        store.addEvent(name, clock.instant(), next.wire(), why);
        stateWaiters.removeIf(w -> w.states().contains(next) && w.future().complete(next));
    }

    /** Completes when the workload is (or next becomes) in one of {@code states}. */
    synchronized CompletableFuture<WorkloadState> until(Set<WorkloadState> states) {
        if (states.contains(state)) return CompletableFuture.completedFuture(state);
        StateWaiter w = new StateWaiter(states, new CompletableFuture<>());
        stateWaiters.removeIf(x -> x.future().isDone());
        stateWaiters.add(w);
        return w.future();
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private void cancelTimeout() {
        if (timeout != null) timeout.cancel(false);
        timeout = null;
    }

    private void pruneRuns() {
        for (Path dir : store.pruneRuns(name, RUNS_KEPT)) WorkloadLauncher.deleteTree(dir);
    }
}
