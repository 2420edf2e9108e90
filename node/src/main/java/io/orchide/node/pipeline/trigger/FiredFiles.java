package io.orchide.node.pipeline.trigger;

import io.orchide.node.store.NodeDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ledger of files already fired, table {@code fired_file} of the agent's database, keyed by subscriber,
 * directory, name, size and modification time. It uses its own connection to the database file, so that its
 * transactions never mix with the statements other stores run on the shared connection; one transaction at a time.
 *
 * <p>{@link #fire} inserts the ledger row and calls the subscriber inside one transaction and commits after the
 * subscriber returned: the row and whatever the subscriber stored through the transaction land together or not at
 * all. Rows of files that no longer exist (or changed) are forgotten by {@link #prune}, which bounds the table.
 */
public final class FiredFiles implements AutoCloseable {
    private final LedgerConnection ledger;
    private final Clock clock;

    private FiredFiles(LedgerConnection ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Opens the ledger on a connection of its own from {@code db}. */
    public static FiredFiles open(NodeDatabase db, Clock clock) throws SQLException {
        return new FiredFiles(LedgerConnection.open(db, "fired-files"), clock);
    }

    /**
     * Fires {@code event} unless the ledger already holds it: records it, calls {@code subscriber} in the same
     * transaction, commits. Returns false when it had already fired. A subscriber's exception rolls back and is
     * rethrown.
     */
    public boolean fire(DataEvent event, DataSubscriber subscriber) throws Exception {
        return ledger.claimAndCall(c -> insert(c, event), tx -> subscriber.onData(event, tx));
    }

    /**
     * Fires the events of {@code events} the ledger does not hold yet, all in one transaction (one commit for files
     * that arrived together): records each, calls {@code subscriber} for each, commits. Returns those fired. A
     * subscriber's exception rolls back the whole group and is rethrown.
     */
    public List<DataEvent> fireAll(List<DataEvent> events, DataSubscriber subscriber) throws Exception {
        return ledger.claimAndCallEach(events, this::insert, (tx, e) -> subscriber.onData(e, tx));
    }

    /** The files {@code subscriber} already fired in {@code dir}. */
    public Set<DataEvent> fired(String subscriber, Path dir) throws SQLException {
        return ledger.locked(c -> new HashSet<>(rows(c, subscriber, dir.toAbsolutePath().normalize())));
    }

    /**
     * Forgets the rows of {@code subscriber} in {@code dir} whose file is gone or has changed since it fired, and
     * returns them. The file is looked at under the lock, so a row committed meanwhile is never lost.
     */
    public List<DataEvent> prune(String subscriber, Path dir) throws SQLException {
        return ledger.locked(c -> {
            List<DataEvent> gone = new ArrayList<>();
            for (DataEvent e : rows(c, subscriber, dir.toAbsolutePath().normalize())) {
                if (!e.equals(current(e))) gone.add(e);
            }
            if (gone.isEmpty()) return gone;
            return ledger.inTransaction(tx -> {
                try (PreparedStatement ps = tx.prepareStatement("DELETE FROM fired_file WHERE subscriber=? AND dir=?"
                        + " AND name=? AND size=? AND mtime_ns=?")) {
                    for (DataEvent e : gone) {
                        bindKey(ps, e);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return gone;
            });
        });
    }

    private boolean insert(Connection c, DataEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO fired_file"
                + "(subscriber, dir, name, size, mtime_ns, fired_at) VALUES (?,?,?,?,?,?)")) {
            bindKey(ps, e);
            ps.setLong(6, clock.millis());
            return ps.executeUpdate() == 1;
        }
    }

    private static List<DataEvent> rows(Connection c, String subscriber, Path dir) throws SQLException {
        List<DataEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, size, mtime_ns FROM fired_file WHERE subscriber=? AND dir=?")) {
            ps.setString(1, subscriber);
            ps.setString(2, dir.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DataEvent(subscriber, dir.resolve(rs.getString(1)), rs.getLong(2),
                            LedgerConnection.instant(rs.getLong(3))));
                }
            }
        }
        return out;
    }

    private static void bindKey(PreparedStatement ps, DataEvent e) throws SQLException {
        ps.setString(1, e.subscriber());
        ps.setString(2, e.path().getParent().toString());
        ps.setString(3, e.path().getFileName().toString());
        ps.setLong(4, e.size());
        ps.setLong(5, LedgerConnection.nanos(e.modified()));
    }

    /** The event the file behind {@code e} would give now, or null when it is gone. */
    private static DataEvent current(DataEvent e) {
        try {
            BasicFileAttributes a = Files.readAttributes(e.path(), BasicFileAttributes.class);
            return new DataEvent(e.subscriber(), e.path(), a.size(), a.lastModifiedTime().toInstant());
        } catch (IOException gone) {
            return null;
        }
    }

    @Override
    public void close() throws SQLException {
        ledger.close();
    }
}
