package io.orchide.ground.report;

import io.orchide.ground.audit.SatelliteAudit;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.StatusReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last-known actual state of each satellite, from its nodes' reports: workloads (a whole snapshot per node,
 * replaced by a newer report, never by an older one), runs (upserted by name, newest state wins), and the last
 * events and log excerpts (bounded per satellite). The node's audit records go to the audit log's inbox
 * ({@link SatelliteAudit}); a refusal among them that came from the node's local API is also one of the satellite's
 * events (one from ground's desired state is an event of the node's already).
 */
public final class Reports {
    public record Workload(String node, String name, String state, Instant since, int restarts, String message,
                           Instant reportedAt, Instant receivedAt) {
    }

    public record Run(String name, String node, String pipeline, String state, Instant at, String message,
                      Instant receivedAt) {
    }

    public record Event(long id, String node, Instant at, String subject, String message, Instant receivedAt) {
    }

    public record Log(long id, String node, String workload, Instant at, List<String> lines, Instant receivedAt) {
    }

    private final GroundDatabase db;
    private final int maxEvents;
    private final int maxLogs;

    public Reports(GroundDatabase db, int maxEvents, int maxLogs) {
        this.db = db;
        this.maxEvents = maxEvents;
        this.maxLogs = maxLogs;
    }

    /** Stores {@code r} from {@code satellite}, within the caller's transaction. */
    public void store(Connection c, String satellite, StatusReport r, Instant received) throws SQLException {
        Instant previous = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reported_at FROM node_report WHERE satellite = ? AND node = ?")) {
            Sql.bind(ps, satellite, r.node());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) previous = Sql.instant(rs, "reported_at");
            }
        }
        if (previous == null || !r.at().isBefore(previous)) {
            Sql.update(c, "INSERT INTO node_report (satellite, node, reported_at, received_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (satellite, node) DO UPDATE SET reported_at = excluded.reported_at, "
                    + "received_at = excluded.received_at", satellite, r.node(), r.at(), received);
            Sql.update(c, "DELETE FROM workload_state WHERE satellite = ? AND node = ?", satellite, r.node());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO workload_state (satellite, node, name, state, "
                    + "since, restarts, message, reported_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (satellite, node, name) DO NOTHING")) {
                for (StatusReport.Workload w : r.workloads()) {
                    Sql.bind(ps, satellite, r.node(), w.name(), w.state(), w.since(), w.restarts(), w.message(), r.at(), received);
                    ps.addBatch();
                }
                if (!r.workloads().isEmpty()) ps.executeBatch();
            }
        }
        for (StatusReport.Run run : r.runs()) {
            Sql.update(c, "INSERT INTO run_state (satellite, name, node, pipeline, state, at, message, received_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (satellite, name) DO UPDATE SET node = excluded.node, "
                            + "pipeline = excluded.pipeline, state = excluded.state, at = excluded.at, "
                            + "message = excluded.message, received_at = excluded.received_at WHERE excluded.at >= run_state.at",
                    satellite, run.name(), r.node(), run.pipeline(), run.state(), run.at(), run.message(), received);
        }
        List<StatusReport.Event> events = new ArrayList<>(r.events());
        for (StatusReport.Audit a : r.audit()) {
            if (a.origin().equals("local") && a.outcome().equals(StatusReport.Audit.REFUSED)) {
                events.add(new StatusReport.Event(a.at(), a.kind() + "/" + a.name(), a.verb()
                        + " from the node's local API refused: " + a.reason()));
            }
        }
        if (!events.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sat_event (satellite, node, at, subject, message, "
                    + "received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (StatusReport.Event e : events) {
                    Sql.bind(ps, satellite, r.node(), e.at(), e.subject(), e.message(), received);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            trim(c, "sat_event", satellite, maxEvents);
        }
        SatelliteAudit.take(c, satellite, r.node(), r.auditEpoch(), r.audit());
        io.orchide.ground.device.ReportedDevices.store(c, satellite, r, received);
        io.orchide.ground.device.ReportedPositions.store(c, satellite, r, received);
        if (!r.logs().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_excerpt (satellite, node, workload, at, lines, "
                    + "received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (StatusReport.LogExcerpt l : r.logs()) {
                    Sql.bind(ps, satellite, r.node(), l.workload(), l.at(), String.join("\n", l.lines()), received);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            trim(c, "log_excerpt", satellite, maxLogs);
        }
    }

    /** The devices {@code satellite}'s nodes last reported. */
    public List<io.orchide.ground.device.ReportedDevices.Device> devices(String satellite) {
        return db.read(c -> io.orchide.ground.device.ReportedDevices.list(c, satellite));
    }

    /** Where {@code satellite}'s nodes last said they were. */
    public List<io.orchide.ground.device.ReportedPositions.NodePosition> positions(String satellite) {
        return db.read(c -> io.orchide.ground.device.ReportedPositions.list(c, satellite));
    }

    /**
     * Records something ground's side of the link saw about a satellite (a bundle to it that expired before it could
     * be delivered, one it refused) among the satellite's events, as node {@code ground}.
     */
    public void linkEvent(String satellite, Instant at, String subject, String message) {
        db.tx(c -> {
            Sql.update(c, "INSERT INTO sat_event (satellite, node, at, subject, message, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    satellite, "ground", at, subject, message, at);
            trim(c, "sat_event", satellite, maxEvents);
            return null;
        });
    }

    private static void trim(Connection c, String table, String satellite, int keep) throws SQLException {
        Sql.update(c, "DELETE FROM " + table + " WHERE satellite = ? AND id < (SELECT MIN(id) FROM (SELECT id FROM "
                + table + " WHERE satellite = ? ORDER BY id DESC LIMIT ?) newest)", satellite, satellite, keep);
    }

    public List<Workload> workloads(String satellite) {
        return db.read(c -> {
            List<Workload> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM workload_state WHERE satellite = ? ORDER BY node, name")) {
                ps.setString(1, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Workload(rs.getString("node"), rs.getString("name"), rs.getString("state"),
                                Sql.instant(rs, "since"), rs.getInt("restarts"), rs.getString("message"),
                                Sql.instant(rs, "reported_at"), Sql.instant(rs, "received_at")));
                    }
                }
            }
            return out;
        });
    }

    public List<Run> runs(String satellite, int limit) {
        return db.read(c -> {
            List<Run> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM run_state WHERE satellite = ? ORDER BY at DESC, name LIMIT ?")) {
                Sql.bind(ps, satellite, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Run(rs.getString("name"), rs.getString("node"), rs.getString("pipeline"),
                                rs.getString("state"), Sql.instant(rs, "at"), rs.getString("message"),
                                Sql.instant(rs, "received_at")));
                    }
                }
            }
            return out;
        });
    }

    public List<Event> events(String satellite, int limit) {
        return db.read(c -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM sat_event WHERE satellite = ? ORDER BY id DESC LIMIT ?")) {
                Sql.bind(ps, satellite, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Event(rs.getLong("id"), rs.getString("node"), Sql.instant(rs, "at"),
                                rs.getString("subject"), rs.getString("message"), Sql.instant(rs, "received_at")));
                    }
                }
            }
            return out;
        });
    }

    public List<Log> logs(String satellite, int limit) {
        return db.read(c -> {
            List<Log> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM log_excerpt WHERE satellite = ? ORDER BY id DESC LIMIT ?")) {
                Sql.bind(ps, satellite, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String lines = rs.getString("lines");
                        out.add(new Log(rs.getLong("id"), rs.getString("node"), rs.getString("workload"),
                                Sql.instant(rs, "at"), lines.isEmpty() ? List.of() : Arrays.asList(lines.split("\n", -1)),
                                Sql.instant(rs, "received_at")));
                    }
                }
            }
            return out;
        });
    }
}
