package io.orchide.node.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to the agent's embedded SQLite database, in WAL mode with synchronous=FULL, so that a row is on disk
 * before the API acknowledges the call that wrote it. In the agent, {@link NodeDatabase} opens every connection to
 * node.db and says who uses which; the stores that share one connection serialise on it ({@link #lock}).
 */
public final class Database implements AutoCloseable {
    /**
     * How long a writer waits for another connection's write lock before giving up: long, since on board waiting is
     * always better than failing, and every transaction holds the lock only for its own writes.
     */
    public static final int BUSY_TIMEOUT_MS = 15_000;
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE workload (
              name TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              spec TEXT NOT NULL,
              desired TEXT NOT NULL,
              generation INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE TABLE run (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              workload TEXT NOT NULL,
              generation INTEGER NOT NULL,
              attempt INTEGER NOT NULL,
              run_dir TEXT NOT NULL,
              state TEXT NOT NULL,
              started_at INTEGER NOT NULL,
              ended_at INTEGER,
              shim_pid INTEGER,
              monitor_pid INTEGER,
              exit_code INTEGER,
              exit_signal INTEGER,
              guest_code INTEGER,
              success INTEGER,
              reason TEXT
            );
            CREATE INDEX run_by_workload ON run(workload, id);
            CREATE TABLE event (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              workload TEXT NOT NULL,
              at INTEGER NOT NULL,
              state TEXT NOT NULL,
              message TEXT NOT NULL
            );
            CREATE INDEX event_by_workload ON event(workload, id);
            """,
            """
            CREATE TABLE fired_file (
              subscriber TEXT NOT NULL,
              dir TEXT NOT NULL,
              name TEXT NOT NULL,
              size INTEGER NOT NULL,
              mtime_ns INTEGER NOT NULL,
              fired_at INTEGER NOT NULL,
              PRIMARY KEY (subscriber, dir, name, size, mtime_ns)
            );
            """,
            """
            CREATE TABLE queued_run (
              run_id INTEGER PRIMARY KEY,
              pipeline TEXT NOT NULL,
              priority INTEGER NOT NULL,
              deadline INTEGER,
              enqueued_at INTEGER NOT NULL,
              seq INTEGER NOT NULL,
              vcpus INTEGER NOT NULL,
              memory_mib INTEGER NOT NULL,
              accelerators INTEGER NOT NULL,
              preemptible INTEGER NOT NULL
            );
            CREATE TABLE expired_run (
              run_id INTEGER PRIMARY KEY,
              pipeline TEXT NOT NULL,
              priority INTEGER NOT NULL,
              deadline INTEGER NOT NULL,
              enqueued_at INTEGER NOT NULL,
              expired_at INTEGER NOT NULL,
              reason TEXT NOT NULL
            );
            """,
            """
            CREATE TABLE fired_schedule (
              subscriber TEXT PRIMARY KEY,
              anchor_ns INTEGER NOT NULL,
              last_due_ns INTEGER,
              fired_at INTEGER
            );
            """,
            """
            CREATE TABLE pipeline (
              name TEXT PRIMARY KEY,
              version_id INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE TABLE pipeline_version (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL,
              manifest TEXT NOT NULL,
              created_at INTEGER NOT NULL
            );
            CREATE TABLE pipeline_run (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              pipeline TEXT NOT NULL,
              version_id INTEGER NOT NULL,
              priority INTEGER NOT NULL,
              deadline INTEGER,
              trigger_kind TEXT NOT NULL,
              trigger_detail TEXT,
              trigger_file TEXT,
              state TEXT NOT NULL,
              reason TEXT,
              created_at INTEGER NOT NULL,
              started_at INTEGER,
              ended_at INTEGER
            );
            CREATE INDEX pipeline_run_by_pipeline ON pipeline_run(pipeline, id);
            CREATE INDEX pipeline_run_by_state ON pipeline_run(state, id);
            CREATE TABLE step_attempt (
              run_id INTEGER NOT NULL,
              step TEXT NOT NULL,
              item INTEGER NOT NULL,
              attempt INTEGER NOT NULL,
              state TEXT NOT NULL,
              run_dir TEXT NOT NULL,
              exit_code INTEGER,
              message TEXT,
              monitor_pid INTEGER,
              started_at INTEGER NOT NULL,
              ended_at INTEGER,
              PRIMARY KEY (run_id, step, item, attempt)
            );
            CREATE TABLE step_result (
              run_id INTEGER NOT NULL,
              step TEXT NOT NULL,
              state TEXT NOT NULL,
              items INTEGER,
              message TEXT,
              at INTEGER NOT NULL,
              PRIMARY KEY (run_id, step)
            );
            CREATE TABLE product (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              run_id INTEGER NOT NULL,
              pipeline TEXT NOT NULL,
              step TEXT NOT NULL,
              item INTEGER NOT NULL,
              output TEXT NOT NULL,
              path TEXT NOT NULL,
              size_bytes INTEGER NOT NULL,
              sha256 TEXT,
              priority INTEGER NOT NULL,
              retention_ms INTEGER NOT NULL,
              expires_at INTEGER NOT NULL,
              image TEXT,
              inputs TEXT NOT NULL,
              state TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              UNIQUE (run_id, step, item, output)
            );
            CREATE INDEX product_by_state ON product(state, priority);
            """,
            """
            CREATE TABLE desired_applied (
              kind TEXT NOT NULL,
              name TEXT NOT NULL,
              generation INTEGER NOT NULL,
              state TEXT NOT NULL,
              manifest TEXT,
              message TEXT,
              at INTEGER NOT NULL,
              PRIMARY KEY (kind, name)
            );
            """,
            """
            CREATE TABLE tenant_quota (
              tenant TEXT PRIMARY KEY,
              version INTEGER NOT NULL,
              cpu_millis INTEGER,
              memory_bytes INTEGER,
              storage_bytes INTEGER,
              at INTEGER NOT NULL
            );
            CREATE TABLE audit_record (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              at INTEGER NOT NULL,
              origin TEXT NOT NULL,
              verb TEXT NOT NULL,
              kind TEXT NOT NULL,
              name TEXT NOT NULL,
              tenant TEXT,
              generation INTEGER,
              outcome TEXT NOT NULL,
              reason TEXT,
              reported INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX audit_record_unreported ON audit_record(reported, seq);
            CREATE TABLE audit_epoch (
              epoch TEXT NOT NULL
            );
            INSERT INTO audit_epoch(epoch) VALUES (lower(hex(randomblob(16))))
            """,
            """
            CREATE TABLE dataset (
              name TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              manifest TEXT NOT NULL,
              applied_at INTEGER NOT NULL
            );
            """,
            """
            CREATE TABLE dataset_file (
              dataset TEXT NOT NULL,
              name TEXT NOT NULL,
              tenant TEXT NOT NULL,
              run TEXT NOT NULL,
              pipeline TEXT NOT NULL,
              step TEXT NOT NULL,
              item INTEGER,
              output TEXT NOT NULL,
              size_bytes INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              image TEXT,
              inputs TEXT NOT NULL,
              written_at INTEGER NOT NULL,
              PRIMARY KEY (dataset, name)
            );
            """,
            """
            CREATE TABLE housekeeping_series (
              idx INTEGER PRIMARY KEY,
              key TEXT NOT NULL UNIQUE,
              kind INTEGER NOT NULL,
              sent INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE housekeeping_interval (
              start INTEGER PRIMARY KEY,
              width INTEGER NOT NULL,
              cells BLOB NOT NULL
            );
            CREATE TABLE housekeeping_gap (
              start INTEGER PRIMARY KEY,
              until INTEGER NOT NULL
            );
            CREATE TABLE housekeeping_log (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              errors INTEGER NOT NULL,
              summary BLOB NOT NULL
            );
            CREATE TABLE housekeeping_state (
              name TEXT PRIMARY KEY,
              value TEXT NOT NULL
            );
            INSERT INTO housekeeping_state (name, value) VALUES ('epoch', lower(hex(randomblob(8))))
            """,
            """
            CREATE TABLE device_grant (
              name TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              manifest TEXT NOT NULL,
              applied_at INTEGER NOT NULL
            );
            """,
            """
            CREATE TABLE trust_document (
              kind TEXT NOT NULL,
              subject TEXT NOT NULL,
              version INTEGER NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (kind, subject)
            );
            CREATE TABLE image_signature (
              digest TEXT NOT NULL,
              tenant TEXT NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (digest, tenant)
            )
            """,
            """
            CREATE TABLE grant_use (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              grant_name TEXT NOT NULL,
              at INTEGER NOT NULL
            );
            CREATE INDEX grant_use_by_grant ON grant_use(grant_name, id)
            """,
            """
            CREATE TABLE step_log_offset (
              console TEXT PRIMARY KEY,
              file_key TEXT,
              offset INTEGER NOT NULL,
              seq INTEGER NOT NULL
            )
            """,
            // the dataset operations ground sent, by ground's id: a command delivered again is answered from here
            // (io.orchide.node.dataset.DatasetCommandLog); files uplinked into datasets say by whom in their lineage
            """
            CREATE TABLE dataset_command (
              id INTEGER PRIMARY KEY,
              command BLOB NOT NULL,
              state TEXT NOT NULL,
              result BLOB,
              updated_at INTEGER NOT NULL
            );
            ALTER TABLE dataset_file ADD COLUMN uplinked_by TEXT
            """,
            """
            CREATE TABLE model (
              name TEXT PRIMARY KEY,
              tenant TEXT NOT NULL,
              manifest TEXT NOT NULL,
              applied_at INTEGER NOT NULL
            );
            """,
            // a queued run's accelerators per class ("gpu=1,npu=2"); the integer column beside it keeps their total
            """
            ALTER TABLE queued_run ADD COLUMN accelerator_classes TEXT NOT NULL DEFAULT ''
            """,
            // the last entry of each RecordJournal written to node.db, in the transaction that wrote its row
            """
            CREATE TABLE journal_applied (
              journal TEXT PRIMARY KEY,
              seq INTEGER NOT NULL
            )
            """);

    private final Path file;
    private final Connection connection;
    private final Object lock = new Object();
    private final ReentrantLock writeGate;

    private Database(Path file, Connection connection, ReentrantLock writeGate) {
        this.file = file;
        this.connection = connection;
        this.writeGate = writeGate;
    }

    /** Opens a connection to {@code file}, creating and migrating the database when needed. */
    public static Database open(Path file) throws SQLException {
        return open(file, new ReentrantLock(true));
    }

    /** As {@link #open(Path)}, sharing {@code writeGate} with the other connections of one owner. */
    static Database open(Path file, ReentrantLock writeGate) throws SQLException {
        Path abs = file.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + abs.getParent() + ": " + e.getMessage(), e);
        }
        Database db = new Database(abs, connect(abs), writeGate);
        db.migrate();
        return db;
    }

    /**
     * A connection to {@code file} set up as every connection to node.db is, for a user that needs its transactions
     * kept apart from every other connection's (a trigger ledger); the database must exist already.
     */
    static Connection connect(Path file) throws SQLException {
        // IMMEDIATE: a transaction takes the write lock when it begins. Several connections write node.db (see
        // NodeDatabase: the shared writer, the run engine's, the trigger ledgers', the products'); a deferred transaction that read first and
        // then wrote after another connection's commit would fail at once with SQLITE_BUSY_SNAPSHOT, which no busy
        // timeout waits out. Transactions here are short (Transactions never leaves one open), and a writer waits up to
        // the busy timeout for the lock.
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The database file this connection is to. */
    public Path file() {
        return file;
    }

    /**
     * The monitor every user of this connection holds while it uses it: a transaction open on a shared connection
     * would otherwise take in another thread's statements, and commit or roll them back with its own.
     */
    public Object lock() {
        return lock;
    }

    /**
     * The lock the hot writers of one process take around a transaction (the pipeline engine's batch, the trigger
     * ledgers' firings), shared by the connections of one {@link NodeDatabase}. Why: SQLite's own wait for another
     * connection's write lock sleeps in steps (1, 2, 5, 10, 15, 20, 25 ms ...) and wakes late, which was most of
     * the tail from a trigger file to its run's start; writers of one process that queue here take the write lock
     * the instant the previous one let go. Taken before BEGIN and let go after COMMIT; a holder never waits for
     * this lock again through another connection, so it cannot deadlock.
     */
    public ReentrantLock writeGate() {
        return writeGate;
    }

    private void migrate() throws SQLException {
        int version;
        try (Statement s = connection.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.getInt(1);
        }
        for (int v = version; v < MIGRATIONS.size(); v++) {
            Transactions.begin(connection);
            try (Statement s = connection.createStatement()) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) s.execute(sql);
                }
                s.execute("PRAGMA user_version=" + (v + 1));
            } catch (SQLException | RuntimeException e) {
                Transactions.rollback(connection);
                throw e;
            }
            Transactions.commit(connection);
        }
    }

    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
