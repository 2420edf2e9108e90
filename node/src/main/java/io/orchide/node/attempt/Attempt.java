package io.orchide.node.attempt;

import io.orchide.model.codec.Durations;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.supervise.OrphanShims;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One attempt under the shim, for an App and for a pipeline step alike: prepare, start, run, and end exactly once
 * as exited, timed out, stopped (graceful stop, then kill after the driver's grace period, then SIGKILL through the
 * supervisor), launch failed or interrupted; or taken back after an agent restart. Confined to its owner's loop:
 * every method, exit and timer runs there, so it has no lock. What follows an end is the owner's policy.
 */
public final class Attempt {
    private static final System.Logger LOG = System.getLogger(Attempt.class.getName());

    private final Path runDir;
    private final Duration timeout;
    private final AttemptLauncher launcher;
    private final AttemptContext ctx;
    private final AttemptListener listener;

    private AttemptState state = AttemptState.PREPARING;
    private AttemptLauncher.Prepared prepared;
    private LaunchedRun launched;
    private Instant startedAt;
    private String stopReason;
    private boolean timedOut;
    private Timers.Timer timeoutTimer;
    private Timers.Timer escalation;
    private AttemptEnd end;
    private RawExit exitWhileStarting; // a monitor may end before its launch's outcome reached the loop

    /**
     * @param timeout how long its monitor may run, from its start; null for no limit
     */
    public Attempt(Path runDir, Duration timeout, AttemptLauncher launcher, AttemptContext ctx,
                   AttemptListener listener) {
        this.runDir = runDir;
        this.timeout = timeout;
        this.launcher = launcher;
        this.ctx = ctx;
        this.listener = listener;
    }

    public Path runDir() { return runDir; }

    public AttemptState state() { return state; }

    /** The running monitor; null before it starts, after it ended, and for a re-adopted one whose exit is due. */
    public LaunchedRun launched() { return launched; }

    public RunningWorkload process() { return launched == null ? null : launched.process(); }

    public Instant startedAt() { return startedAt; }

    /** How it ended; null until then. */
    public AttemptEnd end() { return end; }

    /**
     * Prepares the run directory ahead of {@link #start}, so that an owner can refuse what the host cannot run
     * before anything is recorded. The directory is left as it is on failure.
     */
    public void prepare() throws LaunchException, IOException {
        if (state != AttemptState.PREPARING || prepared != null) throw new IllegalStateException("prepared already");
        prepared = launcher.prepare(runDir);
    }

    /**
     * Prepares (unless {@link #prepare} did) and starts the monitor through the owner's {@link Launches}; a failure
     * ends the attempt as launch failed. The owner is told {@code starting} first, on its loop, before anything is
     * prepared or started. Until the launch's outcome is back the attempt is {@link AttemptState#STARTING}: a stop
     * asked meanwhile is carried out once the monitor runs, and an exit reported meanwhile is taken after it.
     */
    public void start() {
        if (state != AttemptState.PREPARING) throw new IllegalStateException("attempt in " + runDir + " is " + state);
        state = AttemptState.STARTING;
        startedAt = ctx.clock().instant();
        listener.starting(this);
        AttemptLauncher.Prepared ready = prepared;
        ctx.launches().launch(() -> (ready != null ? ready : launcher.prepare(runDir)).start(), this::launched);
    }

    /** On the owner's loop: the outcome of {@link #start}'s launch. */
    private void launched(Launches.Outcome outcome) {
        if (state != AttemptState.STARTING) return;
        if (outcome.failure() != null) {
            Exception failure = outcome.failure();
            AttemptState end = launcher.retriable(failure) ? AttemptState.LAUNCH_FAILED : AttemptState.REFUSED;
            finish(new AttemptEnd(end, false, null, null, launcher.failure(failure), startedAt,
                    ctx.clock().instant()));
            return;
        }
        launched = outcome.launched();
        state = AttemptState.RUNNING;
        startedAt = launched.process().startedAt();
        listener.running(this, "monitor pid " + launched.process().monitorPid());
        if (stopReason != null) {
            beginStop(); // asked while it was starting
        } else {
            armTimeout();
        }
        RawExit early = exitWhileStarting;
        exitWhileStarting = null;
        if (early != null) exited(early);
    }

    /**
     * Takes back the attempt an earlier agent process started in this run directory at {@code startedAt}: watches
     * its monitor when it still runs; when it ended meanwhile, its exit is reported (through the supervisor, to the
     * owner's loop, then {@link #exited}); when neither a monitor nor an exit is left, it ends as interrupted.
     */
    public void readopt(Instant startedAt) {
        if (state != AttemptState.PREPARING) throw new IllegalStateException("attempt in " + runDir + " is " + state);
        this.startedAt = startedAt;
        state = AttemptState.RUNNING;
        if (exitRecorded()) {
            ctx.supervisor().adopt(runDir); // reports the exit
            return;
        }
        Optional<RunningWorkload> alive = ctx.supervisor().adopt(runDir);
        if (alive.isPresent()) {
            try {
                AttemptLauncher.Resolved r = launcher.resolve(runDir);
                launched = new LaunchedRun(r.app(), r.driver(), alive.get());
                r.driver().adopted(r.app(), alive.get()); // the driver's own watch over its monitor, taken up again
            } catch (LaunchException | RuntimeException e) {
                ctx.supervisor().signal(alive.get(), 9); // what cannot be stopped gracefully any more must not run on
                finish(new AttemptEnd(AttemptState.INTERRUPTED, false, null, null,
                        "interrupted: cannot re-adopt its monitor (" + e.getMessage() + ")", startedAt,
                        ctx.clock().instant()));
                return;
            }
            this.startedAt = alive.get().startedAt();
            listener.running(this, "re-adopted after agent restart");
            armTimeout();
            return;
        }
        if (exitRecorded()) return; // ended between the two checks: reported already
        OrphanShims.kill(runDir); // a launch cut short by the agent's death must not run beside the next attempt
        finish(new AttemptEnd(AttemptState.INTERRUPTED, false, null, null,
                "interrupted: its monitor was gone when the agent restarted", startedAt, ctx.clock().instant()));
    }

    private boolean exitRecorded() {
        return Files.exists(runDir.resolve("exit"));
    }

    /**
     * Ends the attempt: asks the monitor to stop, kills it after the driver's grace period, and sends SIGKILL
     * through the supervisor when even the kill did not end it. The end is {@link AttemptState#STOPPED} with
     * {@code reason}. An attempt its owner is stopping already keeps its escalation and takes the newer reason; one
     * that timed out stays timed out; one that ended is left as it is.
     */
    public void stop(String reason) {
        if ((state == AttemptState.STOPPING && !timedOut) || state == AttemptState.STARTING) stopReason = reason;
        if (state != AttemptState.RUNNING) return;
        stopReason = reason;
        beginStop();
    }

    private void beginStop() {
        state = AttemptState.STOPPING;
        cancel(timeoutTimer);
        timeoutTimer = null;
        LaunchedRun l = launched;
        if (l == null) return; // a re-adopted attempt whose exit is already on its way
        try {
            l.driver().requestStop(l.resolved(), l.process());
        } catch (RuntimeException e) {
            listener.note(this, "graceful stop failed: " + e.getMessage());
        }
        escalation = ctx.timers().after(l.driver().defaultGrace(), () -> kill(l));
    }

    private void kill(LaunchedRun l) {
        if (launched != l || state.ended()) return;
        listener.note(this, "grace period over, killing");
        try {
            l.driver().kill(l.resolved(), l.process());
        } catch (RuntimeException e) {
            listener.note(this, "kill failed: " + e.getMessage());
        }
        escalation = ctx.timers().after(ctx.killConfirm(), () -> {
            if (launched == l && !state.ended()) {
                listener.note(this, "still running after the kill, sending SIGKILL");
                ctx.supervisor().signal(l.process(), 9);
            }
        });
    }

    private void armTimeout() {
        if (timeout == null) return;
        Duration left = Duration.between(ctx.clock().instant(), startedAt.plus(timeout));
        timeoutTimer = ctx.timers().after(left.isNegative() ? Duration.ZERO : left, () -> {
            if (state != AttemptState.RUNNING) return;
            timedOut = true;
            listener.timedOut(this, "timeout of " + Durations.format(timeout) + " reached");
            beginStop();
        });
    }

    /** The monitor of this attempt ended with {@code raw}; an exit for an attempt that has ended is ignored. */
    public void exited(RawExit raw) {
        if (state.ended() || state == AttemptState.PREPARING) return;
        if (state == AttemptState.STARTING) {
            exitWhileStarting = raw;
            return;
        }
        AttemptLauncher.Resolved by = binding();
        ExitStatus status = decode(by, raw);
        Instant at = raw.at() == null ? ctx.clock().instant() : raw.at();
        Integer guest = status.guestCode();
        String told = guest == null ? "" : " (" + status.reason() + ")"; // only what the guest itself said
        AttemptEnd e;
        if (timedOut) {
            e = new AttemptEnd(AttemptState.TIMED_OUT, false, raw, guest,
                    "timed out after " + Durations.format(timeout) + told, startedAt, at);
        } else if (stopReason != null) {
            e = new AttemptEnd(AttemptState.STOPPED, false, raw, guest, stopReason + told, startedAt, at);
        } else {
            e = new AttemptEnd(AttemptState.EXITED, status.success(), raw, guest, status.reason(), startedAt, at);
        }
        if (by != null) cleanup(by);
        finish(e);
    }

    /** The App and driver of the monitor; for one found ended after an agent restart, resolved again (null: cannot). */
    private AttemptLauncher.Resolved binding() {
        if (launched != null) return new AttemptLauncher.Resolved(launched.resolved(), launched.driver());
        try {
            return launcher.resolve(runDir);
        } catch (LaunchException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot resolve the App of " + runDir + ": " + e.getMessage());
            return null;
        }
    }

    private static ExitStatus decode(AttemptLauncher.Resolved by, RawExit raw) {
        if (by != null) {
            try {
                return by.driver().decode(by.app(), raw);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "decoding " + raw + " failed: " + e);
            }
        }
        return new ExitStatus(raw, null, !raw.signalled() && raw.code() == 0,
                raw.signalled() ? "monitor killed by signal " + raw.signal() : "monitor exited with status " + raw.code());
    }

    private void cleanup(AttemptLauncher.Resolved by) {
        try {
            by.driver().cleanup(by.app(), runDir);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cleanup of " + runDir + " failed: " + e);
        }
    }

    private void finish(AttemptEnd e) {
        cancel(timeoutTimer);
        cancel(escalation);
        timeoutTimer = null;
        escalation = null;
        launched = null;
        state = e.state();
        end = e;
        launcher.ended(runDir);
        listener.ended(this, e);
    }

    private static void cancel(Timers.Timer t) {
        if (t != null) t.cancel();
    }
}
