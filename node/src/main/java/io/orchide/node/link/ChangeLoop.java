package io.orchide.node.link;

import java.time.Duration;
import java.util.List;

/**
 * Runs the downlink's tasks (queue new products, send a status report) when the node's stores signal a change: the
 * signal wakes it, it waits {@code settle} so that a burst of changes is handled once, then runs each task. No
 * polling: with nothing changing it sleeps. A task that fails is reported and tried again at the next change.
 */
final class ChangeLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangeLoop.class.getName());

    private final List<Runnable> tasks;
    private final Duration settle;
    private final Thread thread;
    private boolean dirty = true; // a first pass at start: what changed while the agent was down
    private boolean closed;

    ChangeLoop(List<Runnable> tasks, Duration settle) {
        this.tasks = List.copyOf(tasks);
        this.settle = settle;
        this.thread = Thread.ofVirtual().name("downlink").unstarted(this::loop);
    }

    void start() { thread.start(); }

    /** Something changed: the tasks run after the settle time. */
    synchronized void changed() {
        dirty = true;
        notifyAll();
    }

    private void loop() {
        try {
            while (true) {
                synchronized (this) {
                    while (!dirty && !closed) wait();
                    if (closed) return;
                }
                Thread.sleep(settle.toMillis());
                synchronized (this) {
                    dirty = false;
                }
                for (Runnable t : tasks) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "a downlink task failed", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }
}
