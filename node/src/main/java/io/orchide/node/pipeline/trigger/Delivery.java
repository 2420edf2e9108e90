package io.orchide.node.pipeline.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The delivery of one subscriber: a virtual thread takes its files from a queue, in the order they were found
 * complete, and fires them through the ledger: the files waiting when it comes back to the queue all in one
 * transaction (one commit, so a burst is not fired at one sync per file); when that group fails, each file on its own,
 * so that one file's failure holds back no other. A slow subscriber delays only its own files, never the watcher.
 */
final class Delivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());
    /** Files found complete while the previous group was being fired are fired together, up to this many. */
    private static final int MAX_GROUP = 64;

    private final String subscriber;
    private final DataSubscriber callback;
    private final FiredFiles ledger;
    private final Consumer<DataEvent> onFailure;
    private final BlockingQueue<DataEvent> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    Delivery(String subscriber, DataSubscriber callback, FiredFiles ledger, Consumer<DataEvent> onFailure) {
        this.subscriber = subscriber;
        this.callback = callback;
        this.ledger = ledger;
        this.onFailure = onFailure;
        this.thread = Thread.ofVirtual().name("orchide-data-" + subscriber).start(this::run);
    }

    void offer(DataEvent event) {
        queue.add(event);
    }

    private void run() {
        while (!closed) {
            List<DataEvent> group = new ArrayList<>();
            try {
                group.add(queue.take());
            } catch (InterruptedException stop) {
                return;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            if (group.size() == 1) {
                fireOne(group.getFirst());
                continue;
            }
            try {
                for (DataEvent e : ledger.fireAll(group, callback)) callback.committed(e);
            } catch (Exception | Error failure) {
                if (closed) return;
                group.forEach(this::fireOne); // one file's failure must not hold back the others
            }
        }
    }

    private void fireOne(DataEvent e) {
        try {
            if (ledger.fire(e, callback)) callback.committed(e);
        } catch (Exception | Error failure) {
            if (closed) return;
            LOG.log(System.Logger.Level.WARNING, "subscriber " + subscriber + " failed on " + e.path()
                    + ", offered again later: " + failure, failure);
            onFailure.accept(e);
        }
    }

    /** Stops after the file in hand; files still queued are not in the ledger and fire at the next start. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
