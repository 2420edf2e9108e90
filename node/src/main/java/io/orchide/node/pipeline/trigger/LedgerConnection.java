package io.orchide.node.pipeline.trigger;

import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.Transactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trigger ledger's own connection to the agent's database file (see {@link NodeDatabase#ledger}), so that its
 * transactions never mix with the statements other stores run on theirs; one piece of work at a time. {@link #claimAndCall} is the exactly-once step every trigger shares: claim the firing in the
 * ledger, let the subscriber store its run through the same transaction, commit both or neither.
 */
final class LedgerConnection implements AutoCloseable {
    /** Work on the connection under the ledger's lock. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The subscriber's part of a firing, given the open transaction. */
    @FunctionalInterface
    interface Call {
        void call(Connection tx) throws Exception;
    }

    private final Connection c;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final ReentrantLock writeGate;

    private LedgerConnection(Connection c, ReentrantLock writeGate) {
        this.c = c;
        this.writeGate = writeGate;
    }

    /**
     * The ledger's own connection, as {@link NodeDatabase#ledger} hands it out; its transactions queue on the
     * database's write gate with the engine's batches.
     */
    static LedgerConnection open(NodeDatabase db, String ledger) throws SQLException {
        return new LedgerConnection(db.ledger(ledger), db.writeGate());
    }

    /** Runs {@code work} under the lock, statement by statement (auto-commit). */
    <T> T locked(Work<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run(c);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} as one transaction under the lock: committed when it returns, rolled back if it throws. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        lock.lock();
        writeGate.lock();
        try {
            Transactions.begin(c);
            try {
                T result = work.run(c);
                Transactions.commit(c);
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                Transactions.rollback(c);
                throw e;
            }
        } finally {
            writeGate.unlock();
            lock.unlock();
        }
    }

    /**
     * In one transaction: {@code claim} records the firing in the ledger and says whether it was new; only then is
     * {@code call} run with the transaction, and both commit together. Returns false (nothing called, nothing
     * stored) when the ledger already held the firing. A subscriber's exception rolls everything back and is rethrown.
     */
    boolean claimAndCall(Work<Boolean> claim, Call call) throws Exception {
        lock.lock();
        writeGate.lock();
        try {
            Transactions.begin(c);
            try {
                if (!claim.run(c)) {
                    Transactions.rollback(c);
                    return false;
                }
                call.call(c);
                Transactions.commit(c);
                return true;
            } catch (Exception | Error e) {
                Transactions.rollback(c);
                throw e;
            }
        } finally {
            writeGate.unlock();
            lock.unlock();
        }
    }

    /** Claims one item of a group in the open transaction; false when the ledger already held it. */
    @FunctionalInterface
    interface ClaimEach<E> {
        boolean claim(Connection tx, E item) throws SQLException;
    }

    /** The subscriber's part for one item of a group, given the open transaction. */
    @FunctionalInterface
    interface CallEach<E> {
        void call(Connection tx, E item) throws Exception;
    }

    /**
     * {@link #claimAndCall} for a group, in one transaction (one commit, one sync): each item is claimed and, when
     * new, handed to {@code call}; everything commits together, or nothing when one of them throws. Returns the
     * items that were new, in order.
     */
    <E> List<E> claimAndCallEach(List<E> items, ClaimEach<E> claim, CallEach<E> call) throws Exception {
        lock.lock();
        writeGate.lock();
        try {
            Transactions.begin(c);
            try {
                List<E> fired = new ArrayList<>();
                for (E item : items) {
                    if (!claim.claim(c, item)) continue;
                    call.call(c, item);
                    fired.add(item);
                }
                if (fired.isEmpty()) Transactions.rollback(c);
                else Transactions.commit(c);
                return fired;
            } catch (Exception | Error e) {
                Transactions.rollback(c);
                throw e;
            }
        } finally {
            writeGate.unlock();
            lock.unlock();
        }
    }

    /** An instant as the ledgers store it: nanoseconds since the epoch. */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            c.close();
        } finally {
            lock.unlock();
        }
    }
}
