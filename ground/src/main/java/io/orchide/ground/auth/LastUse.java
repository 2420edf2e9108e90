package io.orchide.ground.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Writes when API tokens were last used, off the request path: a request notes the use ({@link #used}) and a writer
 * thread of its own stores it, at most once per {@code grain} per token and replica. A write that fails (the database
 * away) is dropped: the next use after the grain writes again, and a last-use time is for people, not for decisions.
 */
final class LastUse implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.auth");

    private final AuthStore store;
    private final Duration grain;
    /** The latest use of each token written or asked to be written by this replica. */
    private final ConcurrentHashMap<String, Instant> noted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread writer;
    private volatile boolean closed;

    LastUse(AuthStore store, Duration grain) {
        this.store = store;
        this.grain = grain;
        this.writer = Thread.ofVirtual().name("ground-token-last-use").start(this::writeUntilClosed);
    }

    /** Token {@code id}, whose stored last use is {@code stored} (may be null or older), was used at {@code now}. */
    void used(String id, Instant stored, Instant now) {
        boolean[] due = {false};
        noted.compute(id, (k, prev) -> {
            Instant last = prev == null ? stored : stored == null || prev.isAfter(stored) ? prev : stored;
            if (last != null && Duration.between(last, now).compareTo(grain) < 0) return last;
            due[0] = true;
            return now;
        });
        if (due[0]) {
            pending.merge(id, now, (a, b) -> a.isAfter(b) ? a : b);
            wake.release();
        }
    }

    private void writeUntilClosed() {
        while (!closed) {
            try {
                wake.acquire();
            } catch (InterruptedException e) {
                break;
            }
            wake.drainPermits();
            flush();
        }
        flush();
    }

    private void flush() {
        for (Map.Entry<String, Instant> e : pending.entrySet()) {
            if (!pending.remove(e.getKey(), e.getValue())) continue; // a later use replaced it: written next round
            try {
                store.touch(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.DEBUG, "last use of token {0} not written: {1}", e.getKey(), ex.getMessage());
            }
        }
    }

    /** Writes what is pending, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
