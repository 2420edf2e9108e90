package io.orchide.ground.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The audit log's one writer: entries are queued and a single thread appends everything waiting in one transaction
 * ({@link AuditLog#appendAll}, group commit), so a request costs a queue insertion, and those that must wait share
 * one commit instead of paying one each.
 *
 * <p>What waits ({@link Kind}): a {@link Kind#CHANGE} returns only once its entry is committed, and throws when it
 * could not be (the caller then does not act: no action without its record); a {@link Kind#DENIAL} returns once its
 * entry is committed or the attempt failed (the refusal is answered either way, its entry stays queued); a
 * {@link Kind#READ} returns at once (a crash may lose the last few). While the database is away the queue is kept,
 * up to {@code capacity} entries; past that, reads' entries go first (the oldest), then the new one; each one dropped
 * is counted ({@link #dropped()}), and the log says so once per outage.
 */
public final class AuditWriter implements AutoCloseable {
    /** What an entry records, which says whether its caller waits and what is dropped first. */
    public enum Kind { READ, DENIAL, CHANGE }

    private static final System.Logger LOG = System.getLogger("io.orchide.ground.audit");
    static final long FIRST_RETRY_MS = 100, LAST_RETRY_MS = 5_000;
    /**
     * How long entries nobody waits for (reads) may gather before they are committed, unless a waiter or
     * {@link #LINGER_ENTRIES} of them come first: one commit (and its sync) for a burst of reads rather than one each,
     * so that a read-heavy load does not spend the machine on commits. It bounds what a crash may lose.
     */
    static final long LINGER_MS = 10;
    static final int LINGER_ENTRIES = 256;

    /** Where batches go: {@link AuditLog#appendAll}; all or nothing. */
    @FunctionalInterface
    public interface Sink {
        void append(List<AuditEntry> entries);
    }

    private final Sink sink;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int reads;
    private boolean waiter;
    private long firstQueuedAt; // System.nanoTime() when the queue last stopped being empty
    private boolean closed;
    private long dropped, droppedThisOutage;
    private boolean failing;
    private final Thread thread;

    private record Pending(AuditEntry entry, Kind kind, CompletableFuture<Void> done) {
        boolean waited() { return done != null && !done.isDone(); }
    }

    public AuditWriter(AuditLog log, int capacity) {
        this(log::appendAll, capacity);
    }

    /** A writer to {@code sink} (tests put a switch between the log and the writer to fail appends). */
    AuditWriter(Sink sink, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity: must be at least 1 (got " + capacity + ")");
        this.sink = sink;
        this.capacity = capacity;
        this.thread = Thread.ofPlatform().daemon().name("audit-writer").start(this::run);
    }

    /**
     * Queues {@code e}; for a change or a denial, waits as the class says.
     *
     * @throws RuntimeException for a change whose entry could not be committed (the database's failure, such as
     *                          {@link io.orchide.ground.store.DatabaseUnavailable}) or queued (the queue full of
     *                          entries that cannot be dropped, or the writer closed)
     */
    public void record(AuditEntry e, Kind kind) {
        Pending p = new Pending(e, kind, kind == Kind.READ ? null : new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                if (kind == Kind.CHANGE) throw new AuditUnavailable("ground is closing: the audit log takes no entry");
                return;
            }
            if (queue.size() >= capacity && !makeRoom(kind)) {
                if (kind == Kind.CHANGE) {
                    throw new AuditUnavailable("the audit log's queue is full (" + capacity
                            + " entries waiting for the database): the change is not made without its record");
                }
                return;
            }
            boolean first = queue.isEmpty();
            if (first) firstQueuedAt = System.nanoTime();
            queue.addLast(p);
            if (kind == Kind.READ) reads++;
            else waiter = true;
            // a read that joins a queue already lingering needs no wake-up: the writer's timed wait ends by itself
            if (first || kind != Kind.READ || queue.size() >= LINGER_ENTRIES) work.signal();
        } finally {
            lock.unlock();
        }
        if (p.done() != null) await(p);
    }

    /** Entries dropped since this writer started: the queue overflowed while the database was away. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Entries queued and not yet committed. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private static void await(Pending p) {
        try {
            p.done().get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailable("interrupted while the audit entry was being written");
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof RuntimeException r) throw r;
            throw new AuditUnavailable(String.valueOf(ee.getCause()));
        }
    }

    /** Frees a place for an entry of {@code kind} (lock held): the oldest read's entry, else nothing (false). */
    private boolean makeRoom(Kind kind) {
        if (reads > 0) {
            for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
                if (it.next().kind() == Kind.READ) {
                    it.remove();
                    reads--;
                    countDrop();
                    return true;
                }
            }
        }
        if (kind != Kind.CHANGE) countDrop(); // the new entry itself; a change is refused instead
        return false;
    }

    private void countDrop() {
        dropped++;
        if (droppedThisOutage++ == 0) {
            LOG.log(System.Logger.Level.WARNING, "the audit log's queue is full ({0} entries waiting for the "
                    + "database): entries of reads are dropped first, then new ones; counted until it drains", capacity);
        }
    }

    private void run() {
        int failures = 0;
        long retryAt = 0;
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (true) {
                    if (closed && queue.isEmpty()) return;
                    // real time: the database comes back on the wall clock
                    long wait = Math.max(retryAt, firstQueuedAt + TimeUnit.MILLISECONDS.toNanos(LINGER_MS)) - System.nanoTime();
                    if (!queue.isEmpty() && (waiter || closed || wait <= 0 || (queue.size() >= LINGER_ENTRIES
                            && retryAt - System.nanoTime() <= 0))) break;
                    try {
                        if (queue.isEmpty()) work.await();
                        else work.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = new ArrayList<>(queue);
                queue.clear();
                reads = 0;
                waiter = false;
            } finally {
                lock.unlock();
            }
            try {
                sink.append(batch.stream().map(Pending::entry).toList());
                for (Pending p : batch) if (p.done() != null) p.done().complete(null);
                failures = 0;
                recovered();
            } catch (RuntimeException e) {
                failures++;
                retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                        Math.min(LAST_RETRY_MS, FIRST_RETRY_MS << Math.min(failures - 1, 10)));
                boolean last = requeue(batch, e);
                if (last) return;
            }
        }
    }

    /**
     * After a failed append: changes fail (their callers act on nothing), denials are answered, and the entries of
     * reads and denials go back to the head of the queue, in their order, the oldest reads dropped past capacity.
     * True when the writer is closed: what is left is dropped.
     */
    private boolean requeue(List<Pending> batch, RuntimeException e) {
        lock.lock();
        try {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "audit entries could not be written (" + e.getMessage()
                        + "): changes are refused until they can, other entries are queued (at most " + capacity + ")");
            }
            for (int i = batch.size() - 1; i >= 0; i--) {
                Pending p = batch.get(i);
                if (p.kind() == Kind.CHANGE) {
                    p.done().completeExceptionally(e);
                    continue;
                }
                if (p.done() != null) p.done().complete(null);
                queue.addFirst(p);
                if (p.kind() == Kind.READ) reads++;
            }
            while (queue.size() > capacity) {
                if (!makeRoom(Kind.CHANGE)) { // no read left: the oldest denial goes
                    queue.removeFirst();
                    countDrop();
                }
            }
            waiter = queue.stream().anyMatch(Pending::waited);
            if (closed) {
                LOG.log(System.Logger.Level.WARNING, "ground closed with {0} audit entries not written", queue.size());
                for (Pending p : queue) if (p.done() != null) p.done().complete(null);
                queue.clear();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void recovered() {
        lock.lock();
        try {
            if (failing || droppedThisOutage > 0) {
                LOG.log(System.Logger.Level.INFO, "audit entries are written again; {0} were dropped meanwhile",
                        droppedThisOutage);
            }
            failing = false;
            droppedThisOutage = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued (one attempt) and stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An entry that could not be queued; the change it records is not made (503, as for a database outage). */
    public static final class AuditUnavailable extends io.orchide.web.ApiException {
        public AuditUnavailable(String message) {
            super(503, "audit_unavailable", message, List.of(), 5, null);
        }
    }
}
