package io.orchide.node.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction on a connection: committed when the work returns, rolled back when it throws. */
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
            c.setAutoCommit(false);
            try {
                T r = work.run();
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
