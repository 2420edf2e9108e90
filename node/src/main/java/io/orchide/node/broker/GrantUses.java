package io.orchide.node.broker;

import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the broker keeps the times of the requests each grant allowed ({@code grant_use} in node.db), so that an agent
 * restart does not give a tenant its quota per orbit or per day again. Each allowed request is stored before the
 * broker answers it, written without waiting for the disk ({@link Database#inWrittenTransaction}: an agent killed
 * right after the answer still counts it; a power loss within the few milliseconds of the next sync may forget it);
 * a grant's rows mirror its {@link GrantUse}: only as many as the memory keeps, the newest.
 */
public final class GrantUses {
    /** Keeps nothing: counts that end with the process (a broker in a test, a benchmark). */
    public static final GrantUses MEMORY = new GrantUses(null);

    private final Database db;

    /** Over {@code db} (the agent's node.db writer). */
    public GrantUses(Database db) {
        this.db = db;
    }

    /** The stored times of the requests grant {@code grant} allowed, oldest first. */
    List<Instant> times(String grant) {
        List<Instant> out = new ArrayList<>();
        if (db == null) return out;
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
     * Stores one request grant {@code grant} allowed {@code at}, keeping only its newest {@code keep} rows, with what
     * {@code alsoInCommit} writes to the same database (the request's audit record) in the same commit.
     */
    void added(String grant, Instant at, int keep, Runnable alsoInCommit) {
        if (db == null) {
            alsoInCommit.run();
            return;
        }
        synchronized (db.lock()) {
            db.inWrittenTransaction(() -> {
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
                alsoInCommit.run();
                return null;
            }, "count a request of device grant " + grant);
        }
    }
}
