package io.orchide.link.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How the {@link LinkStore} reaches its database: the one connection of a SQLite file store, or a connection taken
 * from a data source for each transaction and given back after it; the link's schema and its versioned migrations
 * ({@code link_schema}); one transaction at a time under this object's lock, with the failure it ends in
 * ({@link StoreUnavailableException} while the database cannot be reached, {@link #available()} false until an
 * operation succeeds again).
 */
final class LinkDatabase {
    /** Where each transaction's connection comes from; null for a store that keeps {@link #kept}. */
    private final DataSource source;
    /** The one connection of a SQLite file store, or null. */
    private final Connection kept;
    /** The connection of the transaction under way (set and cleared under this store's lock), or null. */
    private Connection c;
    private final boolean postgres;
    private final String blob;
    private volatile boolean available = true;

    LinkDatabase(DataSource source, Connection kept) {
        this.source = source;
        this.kept = kept;
        try {
            Connection first = kept != null ? kept : source.getConnection();
            try {
                this.postgres = first.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
                this.blob = postgres ? "BYTEA" : "BLOB";
                if (!postgres) {
                    try (Statement s = first.createStatement()) {
                        s.execute("PRAGMA journal_mode=WAL");
                        s.execute("PRAGMA synchronous=FULL");
                        s.execute("PRAGMA busy_timeout=10000");
                    }
                }
                migrate(first);
                first.setAutoCommit(true); // transactions are begun by hand (see tx) or by inJdbcTransaction
            } finally {
                if (first != kept) first.close();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    boolean postgres() { return postgres; }

    /** False from an operation that failed for lack of the database until one succeeds again. */
    boolean available() { return available; }

    /** The connection of the transaction under way: only inside {@link #tx} or {@link #query}. */
    Connection connection() { return c; }

    private static final String[][] MIGRATIONS = {
            {
                    "CREATE TABLE link_out (id TEXT PRIMARY KEY, seq BIGINT NOT NULL, source TEXT NOT NULL, destination TEXT NOT NULL,"
                            + " kind TEXT NOT NULL, priority INTEGER NOT NULL, created_ms BIGINT NOT NULL, lifetime_ms BIGINT NOT NULL,"
                            + " size BIGINT NOT NULL, checksum TEXT NOT NULL, state TEXT NOT NULL, acked BIGINT NOT NULL)",
                    "CREATE INDEX link_out_queue ON link_out (destination, state, priority, created_ms, seq)",
                    "CREATE TABLE link_out_seg (id TEXT NOT NULL, off BIGINT NOT NULL, data %BLOB% NOT NULL, PRIMARY KEY (id, off))",
                    "CREATE TABLE link_in (id TEXT PRIMARY KEY, source TEXT NOT NULL, destination TEXT NOT NULL, kind TEXT NOT NULL,"
                            + " priority INTEGER NOT NULL, created_ms BIGINT NOT NULL, lifetime_ms BIGINT NOT NULL, size BIGINT NOT NULL,"
                            + " checksum TEXT NOT NULL, held BIGINT NOT NULL, state TEXT NOT NULL, done_seq BIGINT)",
                    "CREATE INDEX link_in_state ON link_in (state, done_seq)",
                    "CREATE TABLE link_in_seg (id TEXT NOT NULL, off BIGINT NOT NULL, data %BLOB% NOT NULL, PRIMARY KEY (id, off))",
                    "CREATE TABLE link_seen (id TEXT PRIMARY KEY, expires_ms BIGINT NOT NULL)",
                    "CREATE TABLE link_lease (peer TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL)",
            },
    };

    private void migrate(Connection c) throws SQLException {
        synchronized (this) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (postgres) s.execute("SELECT pg_advisory_xact_lock(7106301)");
                s.execute("CREATE TABLE IF NOT EXISTS link_schema (version INTEGER NOT NULL)");
                int version = 0;
                try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM link_schema")) {
                    if (rs.next()) version = rs.getInt(1);
                }
                for (int v = version; v < MIGRATIONS.length; v++) {
                    for (String sql : MIGRATIONS[v]) s.execute(sql.replace("%BLOB%", blob));
                    s.execute("INSERT INTO link_schema (version) VALUES (" + (v + 1) + ")");
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * One write transaction. On PostgreSQL it is a JDBC transaction (auto-commit off, then commit). On SQLite the
     * connection stays in auto-commit and the transaction is begun IMMEDIATE by hand: it waits up to the busy timeout
     * for the write lock (a deferred one that read before another connection to the same file wrote would fail at
     * once), and nothing holds the lock between transactions (the driver's commit would begin the next one).
     */
    synchronized <T> T tx(Work<T> w) {
        return on(postgres ? null : "BEGIN IMMEDIATE", w);
    }

    /** One read: a consistent snapshot, taking no write lock on SQLite. */
    synchronized <T> T query(Work<T> w) {
        return on(postgres ? null : "BEGIN", w);
    }

    /** Runs {@code w} in one transaction on this operation's connection; under the store's lock. */
    private <T> T on(String sqliteBegin, Work<T> w) {
        try {
            c = kept != null ? kept : source.getConnection();
        } catch (SQLException e) {
            throw failure(e);
        }
        try {
            T t = sqliteBegin == null ? inJdbcTransaction(w) : inSqliteTransaction(sqliteBegin, w);
            available = true;
            return t;
        } finally {
            if (c != kept) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // given back broken: the pool drops it
                }
            }
            c = null;
        }
    }

    private <T> T inJdbcTransaction(Work<T> w) {
        try {
            c.setAutoCommit(false);
            try {
                T t = w.run();
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r); // the connection went with the transaction: nothing was applied
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> T inSqliteTransaction(String begin, Work<T> w) {
        try {
            exec(begin);
            try {
                T t = w.run();
                exec("COMMIT");
                return t;
            } catch (SQLException | RuntimeException e) {
                try {
                    exec("ROLLBACK");
                } catch (SQLException ignored) {
                    // the failed statement ended it already
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The exception a failed operation throws: {@link StoreUnavailableException} when the database is out of reach. */
    private IllegalStateException failure(SQLException e) {
        if (StoreUnavailableException.isCause(e)) {
            available = false;
            return new StoreUnavailableException("link store: database unavailable: " + e.getMessage(), e);
        }
        return new IllegalStateException("link store: " + e.getMessage(), e);
    }

    void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    PreparedStatement ps(String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
        return p;
    }

    int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = ps(sql, args)) {
            return p.executeUpdate();
        }
    }

    /** Closes the kept connection of a SQLite file store; a store on a data source gave its connections back already. */
    synchronized void close() {
        if (kept == null) return;
        try {
            if (!kept.isClosed()) kept.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
