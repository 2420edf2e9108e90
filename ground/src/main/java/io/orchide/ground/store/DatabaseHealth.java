package io.orchide.ground.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the database answered the last time anyone asked, told to the log on each change only: one line when it
 * goes away, one when it is back, however many requests and sweeps fail in between.
 */
public final class DatabaseHealth {
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.store");

    private final String database;
    private final Clock clock;
    private Instant downSince; // null while available; guarded by this

    public DatabaseHealth(String database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The database answered. */
    public void up() {
        Instant since;
        synchronized (this) {
            since = downSince;
            if (since == null) return;
            downSince = null;
        }
        LOG.log(System.Logger.Level.INFO, "database {0} is back after {1} s", database,
                Math.max(0, Duration.between(since, clock.instant()).toSeconds()));
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

    public synchronized boolean available() { return downSince == null; }

    /** Since when it has been unavailable, or null. */
    public synchronized Instant downSince() { return downSince; }
}
