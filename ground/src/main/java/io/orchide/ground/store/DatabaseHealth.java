package io.orchide.ground.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the database answered the last time anyone asked, told to the log on each change only: one line when it
 * goes away, one when it is back, however many requests and sweeps fail in between. Work that has to catch up once
 * the database is back (bookkeeping an outage interrupted) subscribes with {@link #onBack}.
 */
public final class DatabaseHealth {
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.store");

    /** The database's state as last seen, and since when: the last change, or when this began watching. */
    public record State(boolean available, Instant since) { }

    private final String database;
    private final Clock clock;
    private final List<Runnable> onBack = new CopyOnWriteArrayList<>();
    private Instant downSince; // null while available; guarded by this
    private Instant upSince; // guarded by this

    public DatabaseHealth(String database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.upSince = clock.instant();
    }

    /** The database answered. */
    public void up() {
        Instant since;
        synchronized (this) {
            since = downSince;
            if (since == null) return;
            downSince = null;
            upSince = clock.instant();
        }
        LOG.log(System.Logger.Level.INFO, "database {0} is back after {1} s", database,
                Math.max(0, Duration.between(since, clock.instant()).toSeconds()));
        for (Runnable r : onBack) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "after database {0} came back: {1}", database, e.toString());
            }
        }
    }

    /** The database could not be reached. */
    public void down(Throwable cause) {
        synchronized (this) {
            if (downSince != null) return;
            downSince = clock.instant();
        }
        LOG.log(System.Logger.Level.WARNING, "database {0} is unavailable ({1}); the API answers 503 and the link "
                + "refuses sessions until it is back", database, cause == null ? "?" : cause.getMessage());
    }

    /**
     * Runs {@code r} each time the database is back after being seen unavailable, on the thread that saw it answer
     * (a request's, a sweep's): {@code r} should hand long work to a thread of its own.
     */
    public void onBack(Runnable r) { onBack.add(r); }

    public synchronized boolean available() { return downSince == null; }

    /** Since when it has been unavailable, or null. */
    public synchronized Instant downSince() { return downSince; }

    public synchronized State state() {
        return downSince != null ? new State(false, downSince) : new State(true, upSince);
    }
}
