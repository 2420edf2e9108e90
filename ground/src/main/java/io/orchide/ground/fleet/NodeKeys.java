package io.orchide.ground.fleet;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.link.secure.KeyFiles;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node keys an operator registered for each satellite: the only keys the link accepts from a peer naming that
 * satellite. A satellite may have several (one per node, or an old and a new one while a key is rotated); a key is
 * revoked, never deleted, so that the audit log's fingerprints keep a meaning and a revoked key cannot come back by
 * being registered again unnoticed (registering it again is refused; it needs a new key).
 */
public final class NodeKeys {
    /** The migration that adds the table (ground's schema, version 5). */
    public static final String MIGRATION = """
            CREATE TABLE satellite_key (
              satellite VARCHAR(63) NOT NULL,
              fingerprint VARCHAR(71) NOT NULL,
              public_key TEXT NOT NULL,
              added_at BIGINT NOT NULL,
              added_by VARCHAR(253),
              revoked_at BIGINT,
              revoked_by VARCHAR(253),
              PRIMARY KEY (satellite, fingerprint)
            );
            """;

    /** A registered key: its fingerprint, PEM text, when and by whom it was added and, if it was, revoked. */
    public record NodeKey(String satellite, String fingerprint, String publicKey, Instant added, String addedBy,
                          Instant revoked, String revokedBy) {
        public boolean active() { return revoked == null; }
    }

    private final GroundDatabase db;
    private final Clock clock;

    public NodeKeys(GroundDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Registers {@code key} for satellite {@code sat} (created if new), by {@code actor}; true if it was added, false if
     * it was registered already (and active). A key registered and revoked before is refused.
     */
    public boolean register(String sat, PublicKey key, String actor) {
        if (!SatelliteNames.valid(sat)) throw new IllegalArgumentException("name: satellite '" + sat + "' " + SatelliteNames.problem(sat));
        String fp = KeyFiles.fingerprint(key);
        Instant now = clock.instant();
        return db.tx(c -> {
            Fleet.ensure(c, sat, now);
            try (PreparedStatement ps = c.prepareStatement("SELECT revoked_at FROM satellite_key WHERE satellite = ? AND fingerprint = ?")) {
                Sql.bind(ps, sat, fp);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (Sql.instant(rs, "revoked_at") != null)
                            throw new KeyRevoked(sat, fp);
                        return false;
                    }
                }
            }
            Sql.update(c, "INSERT INTO satellite_key (satellite, fingerprint, public_key, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
                    sat, fp, KeyFiles.pem(key), now, actor);
            return true;
        });
    }

    /** Revokes the key of {@code sat} with fingerprint {@code fp}; false when there is no such active key. */
    public boolean revoke(String sat, String fp, String actor) {
        Instant now = clock.instant();
        return db.tx(c -> Sql.update(c, "UPDATE satellite_key SET revoked_at = ?, revoked_by = ? WHERE satellite = ? "
                + "AND fingerprint = ? AND revoked_at IS NULL", now, actor, sat, fp) == 1);
    }

    /** The satellite's keys, active and revoked, oldest first. */
    public List<NodeKey> of(String sat) {
        return db.read(c -> {
            List<NodeKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM satellite_key WHERE satellite = ? ORDER BY added_at, fingerprint")) {
                Sql.bind(ps, sat);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new NodeKey(rs.getString("satellite"), rs.getString("fingerprint"), rs.getString("public_key"),
                                Sql.instant(rs, "added_at"), rs.getString("added_by"), Sql.instant(rs, "revoked_at"),
                                rs.getString("revoked_by")));
                    }
                }
            }
            return out;
        });
    }

    /** What the link asks: null when {@code key} is an active key of {@code sat}, else why the peer is refused. */
    public String refusal(String sat, PublicKey key) {
        if (key == null) return "the link did not authenticate the peer (no key)";
        String fp = KeyFiles.fingerprint(key);
        for (NodeKey k : of(sat)) {
            if (!k.fingerprint().equals(fp)) continue;
            return k.active() ? null : "key " + fp + " of satellite '" + sat + "' was revoked at " + k.revoked();
        }
        return "key " + fp + " is not registered for satellite '" + sat + "'";
    }

    /** A revoked key offered again: refused, naming both. */
    public static final class KeyRevoked extends IllegalArgumentException {
        public KeyRevoked(String sat, String fp) {
            super("nodeKey: key " + fp + " of satellite '" + sat + "' was revoked; a revoked key is not registered again (make a new one with orchide node init)");
        }
    }
}
