package io.orchide.node.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Syncs one database's write-ahead log to the disk after commits that did not wait for it
 * ({@link Database#inWrittenTransaction}), on a thread of its own: the committer answers at once, and every commit
 * made before a sync began is on the disk when it ends, so one sync covers a burst of them (a group commit). SQLite
 * appends a commit's frames to the log with write() before the commit returns, so until the sync they are in the
 * kernel's page cache: they survive the agent's crash (kill -9) and are lost only with the kernel (power loss,
 * panic) in the time one sync takes. The log is synced with fdatasync on a descriptor of its own, which flushes the
 * file's pages whoever wrote them.
 */
public final class WalSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WalSync.class.getName());

    /** What makes the log durable; {@link #FDATASYNC} but in tests. */
    @FunctionalInterface
    public interface Syncer {
        void sync(Path log) throws IOException;
    }

    /** fdatasync of the log file; a log that is gone (checkpointed and removed at the last close) needs none. */
    public static final Syncer FDATASYNC = log -> {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            ch.force(false);
        } catch (NoSuchFileException e) {
            // nothing left to sync
        }
    };

    private final Path log;
    private final Syncer syncer;
    private long requested; // guarded by this: commits that asked for a sync
    private long synced;    // guarded by this: of those, how many a finished sync covers
    private boolean closed; // guarded by this
    private Thread thread;  // guarded by this: started with the first request

    WalSync(Path database, Syncer syncer) {
        this.log = database.resolveSibling(database.getFileName() + "-wal");
        this.syncer = syncer;
    }

    /** Asks for the log to be synced: a commit was just made without waiting for it. */
    synchronized void request() {
        if (closed) return;
        requested++;
        if (thread == null) thread = Thread.ofPlatform().daemon().name("node-db-wal-sync").start(this::run);
        notifyAll();
    }

    /** Waits until every commit that asked for a sync before this call is on the disk. */
    public synchronized void awaitSynced() throws InterruptedException {
        long target = requested;
        while (synced < target && thread != null && thread.isAlive()) wait();
    }

    /** How many syncs were asked for, and how many of them are done: for tests and metrics. */
    public synchronized long[] counts() {
        return new long[]{requested, synced};
    }

    private void run() {
        while (true) {
            long target;
            synchronized (this) {
                while (requested == synced && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (requested == synced) return; // closed, and nothing left
                target = requested;
            }
            try {
                syncer.sync(log);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot sync " + log + " to the disk: commits since the last sync "
                        + "may be lost with a power loss: " + e.getMessage());
            }
            synchronized (this) {
                synced = target;
                notifyAll();
            }
        }
    }

    /** Syncs what is left, then stops. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t == null) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
