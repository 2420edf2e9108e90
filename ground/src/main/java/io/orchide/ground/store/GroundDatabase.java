package io.orchide.ground.store;

import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ground's database: embedded SQLite ({@code <data-dir>/ground.db}, WAL, synchronous=FULL, busy timeout) by
 * default, or PostgreSQL from a {@code jdbc:postgresql://} URL (user and password in the URL) when several ground
 * replicas share one store. Both get the same versioned migrations, recorded in {@code ground_schema}. Handed out
 * as a pooled {@link DataSource}, which the link's store shares (its tables are prefixed {@code link_}).
 */
public final class GroundDatabase implements AutoCloseable {
    /** Work done in one transaction; may run more than once when a concurrent writer got in the way. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int ATTEMPTS = 8;
    /** Tries of work that failed for lack of the database, when it was available before (a blip, a restart). */
    private static final int UNAVAILABLE_ATTEMPTS = 4;
    /** How long an idle connection is trusted without asking the server whether it still works. */
    private static final long VALIDATE_AFTER_IDLE_MILLIS = 1000;
    private static final long PG_LOCK = 0x6f7263686964L; // "orchid": serialises migrations across replicas

    private final Pool pool;
    /** Opens connections outside the pool: for a session of its own that stays open (a LISTEN). */
    private final Pool.Factory factory;
    private final Dialect dialect;
    private final String description;
    /** Whether the schema is known to be at {@link #latestVersion()}: set once by {@link #migrate()}. */
    private volatile boolean migrated;

    private GroundDatabase(Pool pool, Pool.Factory factory, Dialect dialect, String description) {
        this.pool = pool;
        this.factory = factory;
        this.dialect = dialect;
        this.description = description;
    }

    /** SQLite in {@code dataDir/ground.db}. */
    public static GroundDatabase sqlite(Path dataDir) {
        return sqlite(dataDir, Clock.systemUTC());
    }

    /** SQLite in {@code dataDir/ground.db}; {@code clock} dates what the log says of outages. */
    public static GroundDatabase sqlite(Path dataDir, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve("ground.db").toAbsolutePath();
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(10_000);
        // DEFERRED (the default), not IMMEDIATE: sqlite-jdbc begins the next transaction as soon as one commits, so
        // with IMMEDIATE an idle connection out of auto-commit (the link store keeps one) would hold the write lock.
        // A deferred transaction that loses the race to write gets SQLITE_BUSY and tx() runs it again.
        String url = "jdbc:sqlite:" + file;
        String description = "sqlite " + file;
        Pool.Factory f = () -> cfg.createConnection(url);
        Pool p = new Pool(f, 8, 30_000, VALIDATE_AFTER_IDLE_MILLIS, new DatabaseHealth(description, clock));
        return migrated(new GroundDatabase(p, f, Dialect.SQLITE, description));
    }

    /** PostgreSQL at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db?user=..&password=..}). */
    public static GroundDatabase postgres(String jdbcUrl, int poolSize) {
        return postgres(jdbcUrl, poolSize, Clock.systemUTC());
    }

    /**
     * PostgreSQL at {@code jdbcUrl} with at most {@code poolSize} connections; {@code clock} dates what the log says of
     * outages. Unless the URL says otherwise, connecting gives up after 5 s and a server silent for a minute loses
     * its connection ({@link PostgresUrl#withDefaults}), so that an unreachable server is reported as such instead
     * of holding requests.
     */
    public static GroundDatabase postgres(String jdbcUrl, int poolSize, Clock clock) {
        return migrated(connectPostgres(jdbcUrl, poolSize, clock));
    }

    private static GroundDatabase connectPostgres(String jdbcUrl, int poolSize, Clock clock) {
        String url = PostgresUrl.withDefaults(jdbcUrl);
        int q = jdbcUrl.indexOf('?');
        String description = "postgresql " + (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q));
        Pool.Factory f = () -> DriverManager.getConnection(url);
        Pool p = new Pool(f, poolSize, 30_000, VALIDATE_AFTER_IDLE_MILLIS, new DatabaseHealth(description, clock));
        return new GroundDatabase(p, f, Dialect.POSTGRES, description);
    }

    /** SQLite in {@code dataDir} when {@code dbUrl} is null or empty, else PostgreSQL at {@code dbUrl}. */
    public static GroundDatabase open(Path dataDir, String dbUrl) {
        return open(dataDir, dbUrl, Clock.systemUTC());
    }

    /** Like {@link #open(Path, String)}; {@code clock} dates what the log says of outages. */
    public static GroundDatabase open(Path dataDir, String dbUrl, Clock clock) {
        return dbUrl == null || dbUrl.isBlank() ? sqlite(dataDir, clock) : postgres(dbUrl, 10, clock);
    }

    /**
     * Like {@link #open(Path, String, Clock)} without migrating yet: nothing is asked of the database here, so this
     * works while it is down. Until {@link #migrate()} succeeds, {@link #tx} and {@link #read} fail with
     * {@link DatabaseUnavailable} (the schema may not be there yet).
     */
    public static GroundDatabase connect(Path dataDir, String dbUrl, Clock clock) {
        if (dbUrl == null || dbUrl.isBlank()) {
            return sqlite(dataDir, clock); // a file, migrated at once: there is no outage to wait out
        }
        return connectPostgres(dbUrl, 10, clock);
    }

    private static GroundDatabase migrated(GroundDatabase db) {
        try {
            db.migrate();
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Brings the schema to {@link #latestVersion()} (several replicas at once take turns on a lock); once it has
     * succeeded, {@link #tx} and {@link #read} are open. Fails with {@link DatabaseUnavailable} while the database
     * cannot be reached, and may be called again then.
     */
    public void migrate() {
        if (migrated) return;
        run(c -> {
            try (Statement s = c.createStatement()) {
                if (dialect == Dialect.POSTGRES) s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS ground_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
                int version = 0;
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM ground_schema")) {
                    if (rs.next()) version = rs.getInt(1);
                }
                for (int v = version; v < Migrations.ALL.size(); v++) {
                    for (String sql : dialect.sql(Migrations.ALL.get(v)).split(";")) {
                        if (!sql.isBlank()) s.execute(sql);
                    }
                    s.execute("INSERT INTO ground_schema (version, applied_at) VALUES (" + (v + 1) + ", "
                            + System.currentTimeMillis() + ")");
                }
            }
            return null;
        });
        migrated = true;
    }

    /** Whether {@link #migrate()} has succeeded: the stores can be used (when the database answers). */
    public boolean migrated() { return migrated; }

    /**
     * Asks the database whether it answers (a connection from the pool, checked if it was idle), telling
     * {@link #health()}; false when it cannot be reached. Needs no schema.
     */
    public boolean probe() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            pool.health().up();
            return true;
        } catch (SQLException e) {
            if (Dialect.unavailable(e)) {
                pool.health().down(e);
                return false;
            }
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** The schema version this database is at. */
    public int schemaVersion() {
        return read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM ground_schema")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /** The newest schema version this code knows. */
    public static int latestVersion() { return Migrations.ALL.size(); }

    /**
     * Runs {@code work} in one transaction, again (a few times) when a concurrent writer got in the way, or when the
     * database went away before the commit while it had been available (a restart, a dropped connection): the
     * transaction was rolled back by the server, so running it again applies it once. A database already known to be
     * unavailable fails at once with {@link DatabaseUnavailable}, as does a connection lost during the commit itself
     * (its outcome is unknown: the caller's retry must be idempotent, as every write on ground is).
     */
    public <T> T tx(Work<T> work) {
        requireMigrated();
        return run(work);
    }

    private void requireMigrated() {
        if (!migrated) {
            throw new DatabaseUnavailable(description, new SQLException("ground has not initialised its schema "
                    + "yet (waiting for the database)", "08000"));
        }
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode (reads, single statements), once: it may have written
     * somewhere else already (a product's content streams to the client), so it is never run again here; a database
     * that cannot be reached fails it with {@link DatabaseUnavailable}.
     */
    public <T> T read(Work<T> work) {
        requireMigrated();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            if (Dialect.unavailable(e)) {
                pool.health().down(e);
                throw new DatabaseUnavailable(description, e);
            }
            throw new StoreException(e.getMessage(), e);
        }
    }

    private <T> T run(Work<T> work) {
        SQLException last = null;
        int unavailable = 0;
        boolean wasAvailable = pool.health().available();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            boolean committing = false;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T t = work.run(c);
                    committing = true;
                    c.commit();
                    return t;
                } catch (SQLException | RuntimeException e) {
                    if (!committing) rollback(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (Dialect.unavailable(e)) {
                    pool.health().down(e);
                    if (committing || !wasAvailable || ++unavailable >= UNAVAILABLE_ATTEMPTS) {
                        throw new DatabaseUnavailable(description, e);
                    }
                } else if (!Dialect.retryable(e)) {
                    throw new StoreException(e.getMessage(), e);
                }
                last = e;
                try {
                    Thread.sleep(unavailable > 0 ? 100L << unavailable : ThreadLocalRandom.current().nextLong(1, 10L << attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new StoreException("gave up after " + ATTEMPTS + " attempts: " + (last == null ? "" : last.getMessage()), last);
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // the connection is gone with the transaction: nothing was applied
        }
    }

    /** Whether the database answered the last time it was asked. */
    public boolean available() { return pool.health().available(); }

    /** What tells the log when the database goes away and comes back. */
    public DatabaseHealth health() { return pool.health(); }

    public DataSource dataSource() { return pool; }

    /**
     * A new connection of its own, outside the pool and not counted in its size, for a session that stays open as long
     * as its owner wants (a PostgreSQL {@code LISTEN}); the caller closes it. Needs no schema.
     */
    public Connection dedicatedConnection() throws SQLException {
        return factory.open();
    }

    public Dialect dialect() { return dialect; }

    @Override
    public String toString() { return description; }

    @Override
    public void close() {
        pool.close();
    }
}
