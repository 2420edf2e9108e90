package io.orchide.node.store;

import io.orchide.node.layout.NodeLayout;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of node.db: it creates and migrates the file once, and hands out each connection the agent uses, by
 * role, so that who writes through which connection is written down here and nowhere else.
 *
 * <ul>
 *   <li>{@link #writer()}: the one connection for the agent's own state (workloads, their runs and events, the ledger
 *   of desired state taken from ground). Its users serialise on {@link Database#lock()}, so a transaction one of them
 *   opens never takes in another's statements.</li>
 *   <li>{@link #engine()}: the pipeline engine's connection. The engine groups the writes of one piece of work into a
 *   batch (one commit) on its own thread, with no Java lock held across the batch; on a shared connection another
 *   thread's statements would land inside that batch and share its fate. Confined to the engine and the stores it
 *   drives (run queue, pipeline store).</li>
 *   <li>{@link #products()}: pipelines, runs and products for the API's lists and for the downlink and the storage
 *   keeper, which mark products sent, delivered or expired (single statements). Apart from the engine's connection,
 *   so that a reader never sees the engine's batch half-way and never waits for it.</li>
 *   <li>{@link #ledger(String)}: a trigger ledger claims a firing and stores the run it starts in one transaction of
 *   its own, from the watcher's thread: each ledger gets a connection of its own, closed with this owner.</li>
 * </ul>
 *
 * SQLite serialises writers across connections with its write lock (every transaction begins IMMEDIATE and waits up
 * to {@link Database#BUSY_TIMEOUT_MS} for it); transactions are short (see {@link Transactions}). The engine's
 * batches and the ledgers' firings, the writers on the path from a trigger to a run, also queue on one
 * {@link #writeGate} first, so that neither sleeps in SQLite's busy wait for the other.
 */
public final class NodeDatabase implements AutoCloseable {
    private final Database writer;
    private final Database engine;
    private final Database products;
    private final RecordJournal journal;
    private final List<Connection> ledgers = new ArrayList<>();

    private NodeDatabase(Database writer, Database engine, Database products, RecordJournal journal) {
        this.writer = writer;
        this.engine = engine;
        this.products = products;
        this.journal = journal;
    }

    /** Opens (creating and migrating when needed) the node's database in {@code layout}. */
    public static NodeDatabase open(NodeLayout layout) throws SQLException {
        ReentrantLock writeGate = new ReentrantLock(true);
        Database writer = Database.open(layout.database(), writeGate);
        List<AutoCloseable> opened = new ArrayList<>(List.of(writer));
        try {
            Database engine = Database.open(writer.file(), writeGate);
            opened.add(engine);
            Database products = Database.open(writer.file(), writeGate);
            opened.add(products);
            RecordJournal journal = RecordJournal.open(layout.recordJournal(), writer);
            return new NodeDatabase(writer, engine, products, journal);
        } catch (java.io.IOException e) {
            SQLException failed = new SQLException("cannot open " + layout.recordJournal() + ": " + e.getMessage(), e);
            closeAll(opened, failed);
            throw failed;
        } catch (SQLException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void closeAll(List<AutoCloseable> opened, Exception e) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    /**
     * Rows written ahead of node.db through {@link #writer} (the broker's allowed requests: their audit records and
     * quota counts); its appliers registered, the agent {@link RecordJournal#start starts} it.
     */
    public RecordJournal journal() {
        return journal;
    }

    /** The one connection for workloads, their runs and events, and the desired-state ledger. */
    public Database writer() {
        return writer;
    }

    /** The pipeline engine's connection (see the class comment for why it is its own). */
    public Database engine() {
        return engine;
    }

    /** Pipelines, runs and products for readers and for the product state marks (see the class comment). */
    public Database products() {
        return products;
    }

    /** The lock this owner's hot writers share (see {@link Database#writeGate}). */
    public ReentrantLock writeGate() {
        return writer.writeGate();
    }

    /** A new connection for the trigger ledger {@code name}, closed with this owner. */
    public synchronized Connection ledger(String name) throws SQLException {
        Connection c;
        try {
            c = Database.connect(writer.file());
        } catch (SQLException e) {
            throw new SQLException("cannot open the " + name + " ledger's connection to " + writer.file() + ": "
                    + e.getMessage(), e);
        }
        ledgers.add(c);
        return c;
    }

    @Override
    public synchronized void close() throws SQLException {
        SQLException first = null;
        List<AutoCloseable> all = new ArrayList<>(List.of(journal)); // first: its rows go in through the writer
        all.addAll(ledgers);
        all.addAll(List.of(products, engine, writer));
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
                else first.addSuppressed(e);
            }
        }
        ledgers.clear();
        if (first != null) throw first;
    }
}
