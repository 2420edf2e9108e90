package io.orchide.node.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Transactions on the agent's SQLite connections, made safe against two habits of the driver: its
 * {@link Connection#commit} begins the next transaction at once (on the agent's connections, which begin IMMEDIATE,
 * that holds the database's write lock until the next commit, and every other writer waits), and a BEGIN that fails
 * (the lock stayed busy past the busy timeout) leaves the connection marked as inside a transaction that does not
 * exist, so that later work would run without one. Here a transaction ends by returning to auto-commit, and a
 * failed BEGIN leaves the connection as it was.
 */
public final class Transactions {
    /** Work done inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction of its own, or inside the one already open on {@code c} (a batch), whose
     * commit then covers it.
     *
     * @throws StoreException saying {@code what} failed, after the rollback
     */
    public static <T> T inTransaction(Connection c, Work<T> work, String what) {
        try {
            if (!c.getAutoCommit()) return work.run();
            begin(c);
            try {
                T r = work.run();
                commit(c);
                return r;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /**
     * Begins a transaction (IMMEDIATE on the agent's connections: it waits up to the busy timeout for the write
     * lock). When it cannot, the connection is left in auto-commit, as before, and the error is thrown.
     */
    public static void begin(Connection c) throws SQLException {
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            resetFlag(c);
            throw e;
        }
    }

    /**
     * Commits the open transaction and returns to auto-commit, without beginning another one. When the commit
     * fails the transaction is rolled back and the error thrown.
     */
    public static void commit(Connection c) throws SQLException {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            rollback(c);
            throw e;
        }
    }

    /** Rolls the open transaction back, if any, and returns to auto-commit; never throws. */
    public static void rollback(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // none was open
        }
        resetFlag(c);
    }

    private static void resetFlag(Connection c) {
        try {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
        } catch (SQLException e) {
            // its COMMIT found no transaction open: the connection is back in auto-commit all the same
        }
    }
}
