package io.orchide.ground.device;

import io.orchide.ground.store.Sql;
import io.orchide.model.message.StatusReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each node of a satellite last said it was, from its status reports: the position source, and the fix or why
 * it had none. The newest report wins: one that arrives late, older than the stored one, leaves it; a report without
 * a position (from a node that predates them) leaves it too.
 */
public final class ReportedPositions {
    /** The table, created by ground's migrations. */
    public static final String MIGRATION = """
            CREATE TABLE node_position (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(255) NOT NULL,
              source TEXT NOT NULL,
              fix_from TEXT,
              fix_time BIGINT,
              latitude_deg DOUBLE PRECISION,
              longitude_deg DOUBLE PRECISION,
              altitude_m DOUBLE PRECISION,
              reason TEXT,
              reported_at BIGINT NOT NULL,
              received_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, node)
            )
            """;

    /** A node's position as ground last heard of it, in the report of {@code reportedAt} (the node's clock). */
    public record NodePosition(String node, StatusReport.Position position, Instant reportedAt, Instant receivedAt) {
    }

    private ReportedPositions() {
    }

    /** Takes the position of {@code r}, if it carries one newer than the stored one, within the caller's transaction. */
    public static void store(Connection c, String satellite, StatusReport r, Instant received) throws SQLException {
        StatusReport.Position p = r.position();
        if (p == null) return;
        StatusReport.Position.Fix f = p.fix();
        Sql.update(c, "INSERT INTO node_position (satellite, node, source, fix_from, fix_time, latitude_deg, "
                        + "longitude_deg, altitude_m, reason, reported_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (satellite, node) DO UPDATE SET source = excluded.source, "
                        + "fix_from = excluded.fix_from, fix_time = excluded.fix_time, latitude_deg = excluded.latitude_deg, "
                        + "longitude_deg = excluded.longitude_deg, altitude_m = excluded.altitude_m, "
                        + "reason = excluded.reason, reported_at = excluded.reported_at, received_at = excluded.received_at "
                        + "WHERE excluded.reported_at >= node_position.reported_at",
                satellite, r.node(), p.source(), f == null ? null : f.from(), f == null ? null : f.time(),
                f == null ? null : f.latitudeDeg(), f == null ? null : f.longitudeDeg(), f == null ? null : f.altitudeM(),
                p.reason(), r.at(), received);
    }

    /** The positions {@code satellite}'s nodes last reported, by node. */
    public static List<NodePosition> list(Connection c, String satellite) throws SQLException {
        List<NodePosition> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM node_position WHERE satellite = ? ORDER BY node")) {
            ps.setString(1, satellite);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant time = Sql.instant(rs, "fix_time");
                    StatusReport.Position.Fix fix = time == null ? null : new StatusReport.Position.Fix(
                            rs.getString("fix_from"), time, rs.getDouble("latitude_deg"), rs.getDouble("longitude_deg"),
                            rs.getDouble("altitude_m"));
                    out.add(new NodePosition(rs.getString("node"), new StatusReport.Position(rs.getString("source"),
                            fix, fix == null ? rs.getString("reason") : null),
                            Sql.instant(rs, "reported_at"), Sql.instant(rs, "received_at")));
                }
            }
        }
        return out;
    }
}
