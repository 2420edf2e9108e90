package io.orchide.ground.desired;

import io.orchide.ground.link.Uplink;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.link.Outgoing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The uplink outbox: a bundle is stored in the same transaction as the change it carries, handed to the link after
 * that transaction commits, and marked queued once the link has it. Bundles not yet marked (a crash, a link that
 * refused) are handed over again by {@link #flush()}; the link's send is idempotent by bundle id, so a bundle handed
 * over twice, by this process or by another replica, is queued once.
 */
public final class Outbox {
    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    /** One bundle waiting in the outbox. */
    public record Pending(String bundleId, String satellite, String kind, int priority, Duration lifetime,
                          byte[] payload, Instant created) {
    }

    private final GroundDatabase db;
    private final Uplink uplink;
    private final Clock clock;

    public Outbox(GroundDatabase db, Uplink uplink, Clock clock) {
        this.db = db;
        this.uplink = uplink;
        this.clock = clock;
    }

    /** Stores a bundle to send, within the caller's transaction. */
    public static void add(Connection c, String bundleId, String satellite, String kind, int priority, Duration lifetime,
                           byte[] payload, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO uplink_outbox (bundle_id, satellite, kind, priority, lifetime_ms, payload, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bundle_id) DO NOTHING",
                bundleId, satellite, kind, priority, lifetime.toMillis(), payload, now);
    }

    /** Hands the bundles {@code ids} to the link (after their transaction committed); returns those now queued. */
    public List<String> send(List<String> ids) {
        List<String> queued = new ArrayList<>();
        for (String id : ids) {
            Pending p = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM uplink_outbox WHERE bundle_id = ? AND queued_at IS NULL")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? pending(rs) : null;
                    }
                }
            });
            if (p != null && hand(p)) queued.add(id);
        }
        return queued;
    }

    /** Hands every bundle not yet marked queued to the link, oldest first; returns how many are now queued. */
    public int flush() {
        List<Pending> all = pending();
        int n = 0;
        for (Pending p : all) {
            if (hand(p)) n++;
        }
        return n;
    }

    /** Bundles stored but not yet handed to the link. */
    public List<Pending> pending() {
        return db.read(c -> {
            List<Pending> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM uplink_outbox WHERE queued_at IS NULL ORDER BY created_at, bundle_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(pending(rs));
            }
            return out;
        });
    }

    private boolean hand(Pending p) {
        try {
            uplink.send(p.bundleId(), new Outgoing(p.satellite(), p.kind(), p.priority(), p.lifetime(), p.payload()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "bundle {0} stays in the outbox: {1}", p.bundleId(), e.toString());
            return false;
        }
        db.read(c -> Sql.update(c, "UPDATE uplink_outbox SET queued_at = ? WHERE bundle_id = ? AND queued_at IS NULL",
                clock.instant(), p.bundleId()));
        return true;
    }

    private static Pending pending(ResultSet rs) throws SQLException {
        return new Pending(rs.getString("bundle_id"), rs.getString("satellite"), rs.getString("kind"),
                rs.getInt("priority"), Duration.ofMillis(rs.getLong("lifetime_ms")), rs.getBytes("payload"),
                Sql.instant(rs, "created_at"));
    }
}
