package io.orchide.node.pipeline.run;

import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.Launches;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Where the engine's step attempts prepare and start their monitors: on a launcher thread, never on the engine's
 * loop, so that a monitor's exec delays no other run's dispatch, exit or timer.
 *
 * <p>Invariant: a monitor starts only after the batch that recorded its attempt has committed (a crash from then on
 * is seen on restart, and nothing a crash loses ever had a monitor). Launches asked during one piece of the loop's
 * work are therefore held until the engine says the batch {@link #committed}; all attempts dispatched together share
 * that one commit. Outcomes come back to the loop together: every outcome that arrived before the loop took them is
 * handled in one piece of work, so in one batch.
 */
final class StepLaunches implements Launches, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StepLaunches.class.getName());
    /**
     * As many as cores, at most 4: a burst of dispatches starts in parallel, but a launch may keep a core busy until
     * its driver saw the monitor start (bubblewrap's start check scans the process table), so launches beyond the
     * cores only slow each other and everything else on the node.
     */
    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private record Held(Work work, Consumer<Outcome> done) {
    }

    private final ExecutorService launcher;
    private EventLoop loop;
    private Runnable afterOutcomes;
    private final List<Held> held = new ArrayList<>();      // loop only
    private final Queue<Runnable> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();

    /** Launcher threads that exist only while there is something to launch (none on an idle agent). */
    StepLaunches() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("orchide-step-launch-", 0).factory());
        e.allowCoreThreadTimeOut(true);
        this.launcher = e;
    }

    /**
     * The loop the outcomes are handed to, and what it does after a group of them (the engine's pump); set once,
     * before the first launch.
     */
    void bind(EventLoop loop, Runnable afterOutcomes) {
        this.loop = loop;
        this.afterOutcomes = afterOutcomes;
    }

    /** On the loop: held until the current piece of work commits. */
    @Override
    public void launch(Work work, Consumer<Outcome> done) {
        held.add(new Held(work, done));
    }

    /** On the loop, once the batch committed: the attempts it recorded are durable, their monitors may start. */
    void committed() {
        if (held.isEmpty()) return;
        List<Held> go = List.copyOf(held);
        held.clear();
        for (Held h : go) {
            try {
                launcher.execute(() -> back(h.done(), Outcome.of(h.work())));
            } catch (RuntimeException e) { // closed: the attempt is recorded running and is seen after the restart
                LOG.log(System.Logger.Level.DEBUG, "launch dropped at close: " + e);
            }
        }
    }

    /** On the loop, when the batch could not commit: no monitor may start for what it recorded. */
    void rolledBack(Exception why) {
        if (held.isEmpty()) return;
        List<Held> failed = List.copyOf(held);
        held.clear();
        Exception e = new IllegalStateException("its attempt could not be recorded: " + why.getMessage(), why);
        for (Held h : failed) back(h.done(), new Outcome(null, e));
    }

    private void back(Consumer<Outcome> done, Outcome outcome) {
        outcomes.add(() -> done.accept(outcome));
        if (!drainPending.compareAndSet(false, true)) return;
        try {
            loop.execute(this::drain, "taking back monitor launches");
        } catch (RuntimeException closed) { // the engine stopped: its attempts are seen after the restart
            LOG.log(System.Logger.Level.DEBUG, "launch outcome dropped at close: " + closed);
        }
    }

    /** Takes no more launches; one under way finishes, and its attempt is re-adopted at the next start. */
    @Override
    public void close() {
        launcher.shutdown();
    }

    private void drain() {
        drainPending.set(false);
        for (Runnable r = outcomes.poll(); r != null; r = outcomes.poll()) r.run();
        afterOutcomes.run();
    }
}
