package io.orchide.node.attempt;

import io.orchide.model.time.ScaledClock;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread an owner of attempts (the workloads, the pipeline engine) changes its state on: calls, exits and
 * timers all run here, one at a time, so nothing the owner or its attempts hold needs a lock. Timers count the
 * owner's clock, shorter in real time under a scaled (simulated) clock. Each piece of work runs inside the owner's
 * {@link Wrap} (the pipeline engine commits its writes once per piece).
 */
public final class EventLoop implements Timers, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** Runs one piece of work; the place for a transaction around it. */
    @FunctionalInterface
    public interface Wrap {
        <T> T around(Callable<T> work) throws Exception;
    }

    private final ScheduledExecutorService exec;
    private final Clock clock;
    private final Wrap wrap;
    private volatile Thread thread;

    public EventLoop(String name, Clock clock) {
        this(name, clock, Callable::call);
    }

    public EventLoop(String name, Clock clock, Wrap wrap) {
        this.clock = clock;
        this.wrap = wrap;
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = Thread.ofPlatform().daemon().name(name).unstarted(r);
            thread = t;
            return t;
        });
    }

    /**
     * Runs {@code task} on the loop and returns its result, rethrowing its exceptions; runs it at once when called
     * from the loop itself (work on the loop may call the owner's public methods without deadlocking).
     */
    public <T> T call(Callable<T> task) throws Exception {
        if (Thread.currentThread() == thread) return task.call();
        try {
            return exec.submit(() -> wrap.around(task)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** As {@link #call}, for work that throws no checked exception. */
    public <T> T get(Callable<T> task) {
        try {
            return call(task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code task} on the loop later; a failure is logged, saying {@code what} failed. */
    public void execute(Runnable task, String what) {
        exec.execute(() -> safely(task, what));
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
        long nanos = Math.max(0, ScaledClock.realDelay(clock, delay).toNanos());
        ScheduledFuture<?> f = exec.schedule(() -> safely(task, "timer"), nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    private void safely(Runnable task, String what) {
        try {
            wrap.around(() -> {
                task.run();
                return null;
            });
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.ERROR, what + " failed", e);
        }
    }

    /** Stops the loop; work not yet started is dropped. */
    @Override
    public void close() {
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
