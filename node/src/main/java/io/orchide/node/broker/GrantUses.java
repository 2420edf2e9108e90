package io.orchide.node.broker;

import io.orchide.node.store.Database;
import io.orchide.node.store.RecordJournal;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the broker keeps the times of the requests each grant allowed ({@code grant_use} in node.db), so that an agent
 * restart does not give a tenant its quota per orbit or per day again. Each allowed request is stored before the
 * broker answers it: in the agent written ahead through the journal ({@link RecordJournal}: an agent killed right
 * after the answer still counts it; a power loss within the 20 ms or so before the journal's next transaction
 * may forget it); a grant's rows mirror its {@link GrantUse}: only as many as the memory keeps, the newest.
 */
public final class GrantUses {
    /** Keeps nothing: counts that end with the process (a broker in a test, a benchmark). */
    public static final GrantUses MEMORY = new GrantUses(null);
    private static final String JOURNAL_KIND = "grant_use";

    private final Database db;
    private final RecordJournal journal; // null: each row committed before the answer

    /** Over {@code db} (the agent's node.db writer), each row committed before the answer. */
    public GrantUses(Database db) {
        this(db, null);
    }

    /** Over {@code db}, each row written ahead through {@code journal} (registered here; the caller starts it). */
    public GrantUses(Database db, RecordJournal journal) {
        this.db = db;
        this.journal = journal;
        if (journal != null) journal.register(JOURNAL_KIND, this::fromJournal);
    }

    /** The stored times of the requests grant {@code grant} allowed, oldest first. */
    List<Instant> times(String grant) {
        List<Instant> out = new ArrayList<>();
        if (db == null) return out;
        if (journal != null && !Thread.holdsLock(db.lock())) journal.flushQuietly();
        synchronized (db.lock()) {
            try (PreparedStatement st = db.connection().prepareStatement(
                    "SELECT at FROM grant_use WHERE grant_name = ? ORDER BY id")) {
                st.setString(1, grant);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) out.add(Instant.ofEpochMilli(rs.getLong(1)));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the use of device grant " + grant, e);
            }
        }
        return out;
    }

    /**
     * Stores one request grant {@code grant} allowed {@code at}, keeping only its newest {@code keep} rows, then has
     * {@code alsoStored} store what goes with it (the request's audit record), before the answer.
     */
    void added(String grant, Instant at, int keep, Runnable alsoStored) {
        if (db == null || keep == 0) { // a grant without quota or rate limit keeps no times
            alsoStored.run();
            return;
        }
        if (journal != null) {
            try {
                journal.append(JOURNAL_KIND, encode(grant, at, keep));
                alsoStored.run();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // not journalled: stored the slow way below rather than lost
            }
        }
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                insert(grant, at, keep);
                alsoStored.run();
                return null;
            }, "count a request of device grant " + grant);
        }
    }

    private void insert(String grant, Instant at, int keep) throws SQLException {
        try (PreparedStatement ins = db.connection().prepareStatement(
                "INSERT INTO grant_use(grant_name, at) VALUES (?, ?)");
             PreparedStatement trim = db.connection().prepareStatement("""
                     DELETE FROM grant_use WHERE grant_name = ? AND id NOT IN
                       (SELECT id FROM grant_use WHERE grant_name = ? ORDER BY id DESC LIMIT ?)""")) {
            ins.setString(1, grant);
            ins.setLong(2, at.toEpochMilli());
            ins.executeUpdate();
            trim.setString(1, grant);
            trim.setString(2, grant);
            trim.setInt(3, keep);
            trim.executeUpdate();
        }
    }

    private void fromJournal(byte[] payload) throws SQLException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            insert(in.readUTF(), Instant.ofEpochMilli(in.readLong()), in.readInt());
        } catch (IOException e) {
            throw new SQLException("a journalled grant use does not read: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(String grant, Instant at, int keep) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(grant);
            out.writeLong(at.toEpochMilli());
            out.writeInt(keep);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }
}
