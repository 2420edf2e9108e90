package io.orchide.node.pipeline.run;

import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.Launches;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
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
final class StepLaunches implements Launches {
    private static final System.Logger LOG = System.getLogger(StepLaunches.class.getName());

    private record Held(Work work, Consumer<Outcome> done) {
    }

    private final Executor launcher;
    private EventLoop loop;
    private Runnable afterOutcomes;
    private final List<Held> held = new ArrayList<>();      // loop only
    private final Queue<Runnable> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();

    /** @param launcher runs the launches; its threads are the only ones that wait for a monitor's exec */
    StepLaunches(Executor launcher) {
        this.launcher = launcher;
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

    private void drain() {
        drainPending.set(false);
        for (Runnable r = outcomes.poll(); r != null; r = outcomes.poll()) r.run();
        afterOutcomes.run();
    }
}
