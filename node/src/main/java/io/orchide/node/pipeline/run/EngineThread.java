package io.orchide.node.pipeline.run;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread on which the run engine changes its state and writes through its database connection. Each piece
 * of work runs as a batch of writes ({@link PipelineStore#beginBatch}): one commit at its end, plus those it asks
 * for, instead of one per row.
 */
final class EngineThread implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EngineThread.class.getName());

    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("orchide-pipelines").factory());
    private final PipelineStore store;

    private final java.time.Clock clock;

    EngineThread(PipelineStore store, java.time.Clock clock) {
        this.clock = clock;
        this.store = store;
    }

    /** Runs {@code task} on the thread and returns its result; its exceptions are rethrown here. */
    <T> T call(Callable<T> task) {
        try {
            return exec.submit(() -> batch(task)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code task} on the thread later; a failure is logged, saying {@code what} failed. */
    void execute(Runnable task, String what) {
        exec.execute(() -> safely(task, what));
    }

    /**
     * Runs {@code task} on the thread after {@code delay} of the engine's clock (shorter in real time under simulated
     * time), without a batch (for timers that only signal).
     */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        long nanos = io.orchide.model.time.ScaledClock.realDelay(clock, delay).toNanos();
        return exec.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** As {@link #schedule}, as a batch; a failure is logged, saying {@code what} failed. */
    ScheduledFuture<?> scheduleBatch(Runnable task, Duration delay, String what) {
        return schedule(() -> safely(task, what), delay);
    }

    private void safely(Runnable task, String what) {
        try {
            batch(() -> {
                task.run();
                return null;
            });
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.ERROR, what + " failed", e);
        }
    }

    private <T> T batch(Callable<T> task) throws Exception {
        store.beginBatch();
        try {
            return task.call();
        } finally {
            store.endBatch(); // what was done is kept even when the work failed half-way, as without a batch
        }
    }

    /** Stops the thread; work not yet started is dropped. */
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
