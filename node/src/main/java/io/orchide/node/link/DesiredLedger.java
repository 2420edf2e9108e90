package io.orchide.node.link;

import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which generation of each object ground asked for the node has taken, in the agent's database: a change at or
 * below the recorded generation is not applied again (a bundle delivered twice, or an older one arriving late).
 * A change waiting for its image is recorded {@code pending} with its manifest, so it survives a reboot.
 */
final class DesiredLedger {
    enum State { APPLIED, PENDING, REFUSED }

    record Entry(String kind, String name, int generation, State state, String manifest, String message, Instant at) {
    }

    private final Connection c;
    private final Object lock;

    DesiredLedger(Database db) {
        this.c = db.connection();
        this.lock = db.lock(); // the agent's shared writer, with the workload store
    }

    Optional<Entry> get(String kind, String name) {
        synchronized (lock) {
            List<Entry> l = query("SELECT * FROM desired_applied WHERE kind=? AND name=?", kind, name);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
        }
    }

    List<Entry> pending() {
        synchronized (lock) {
            return query("SELECT * FROM desired_applied WHERE state=? ORDER BY at", State.PENDING.name());
        }
    }

    void put(Entry e) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO desired_applied(kind, name, generation, state, manifest, message, at) VALUES (?,?,?,?,?,?,?)
                    ON CONFLICT(kind, name) DO UPDATE SET generation=excluded.generation, state=excluded.state,
                      manifest=excluded.manifest, message=excluded.message, at=excluded.at
                    """)) {
                ps.setString(1, e.kind());
                ps.setString(2, e.name());
                ps.setInt(3, e.generation());
                ps.setString(4, e.state().name());
                ps.setString(5, e.state() == State.PENDING ? e.manifest() : null);
                ps.setString(6, e.message());
                ps.setLong(7, e.at().toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException ex) {
                throw new StoreException("cannot record desired " + e.kind() + " " + e.name(), ex);
            }
        }
    }

    private List<Entry> query(String sql, String... args) {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString("kind"), rs.getString("name"), rs.getInt("generation"),
                            State.valueOf(rs.getString("state")), rs.getString("manifest"), rs.getString("message"),
                            Instant.ofEpochMilli(rs.getLong("at"))));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read desired state", e);
        }
        return out;
    }
}
