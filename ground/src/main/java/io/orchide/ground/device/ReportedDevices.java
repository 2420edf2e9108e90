package io.orchide.ground.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.message.StatusReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The devices each node of a satellite last reported (its device twin: class, state, lease holder, properties desired
 * and reported). A report that carries the inventory replaces that node's devices whole; one that does not leaves them.
 */
public final class ReportedDevices {
    /** The table, created by ground's migrations. */
    public static final String MIGRATION = """
            CREATE TABLE device_state (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(255) NOT NULL,
              name VARCHAR(63) NOT NULL,
              device_class VARCHAR(32) NOT NULL,
              state VARCHAR(32) NOT NULL,
              leased_by VARCHAR(255),
              desired TEXT NOT NULL,
              reported TEXT NOT NULL,
              reported_at BIGINT NOT NULL,
              received_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, node, name)
            )
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A device as ground last heard of it. */
    public record Device(String node, StatusReport.Device device, Instant reportedAt, Instant receivedAt) {
    }

    private ReportedDevices() {
    }

    /** Takes the inventory of {@code r}, if it carries one, within the caller's transaction. */
    public static void store(Connection c, String satellite, StatusReport r, Instant received) throws SQLException {
        if (r.devices() == null) return;
        try (PreparedStatement del = c.prepareStatement("DELETE FROM device_state WHERE satellite = ? AND node = ?")) {
            del.setString(1, satellite);
            del.setString(2, r.node());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_state (satellite, node, name, device_class, "
                + "state, leased_by, desired, reported, reported_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StatusReport.Device d : r.devices()) {
                ps.setString(1, satellite);
                ps.setString(2, r.node());
                ps.setString(3, d.name());
                ps.setString(4, d.deviceClass());
                ps.setString(5, d.state());
                ps.setString(6, d.leasedBy());
                ps.setString(7, json(d.desired()));
                ps.setString(8, json(d.reported()));
                ps.setLong(9, r.at().toEpochMilli());
                ps.setLong(10, received.toEpochMilli());
                ps.addBatch();
            }
            if (!r.devices().isEmpty()) ps.executeBatch();
        }
    }

    /** The devices of {@code satellite}'s nodes, by node and name. */
    public static List<Device> list(Connection c, String satellite) throws SQLException {
        List<Device> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM device_state WHERE satellite = ? ORDER BY node, name")) {
            ps.setString(1, satellite);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Device(rs.getString("node"), new StatusReport.Device(rs.getString("name"),
                            rs.getString("device_class"), rs.getString("state"), rs.getString("leased_by"),
                            map(rs.getString("desired")), map(rs.getString("reported"))),
                            Instant.ofEpochMilli(rs.getLong("reported_at")), Instant.ofEpochMilli(rs.getLong("received_at"))));
                }
            }
        }
        return out;
    }

    private static String json(Map<String, String> m) {
        ObjectNode o = JSON.createObjectNode();
        m.forEach(o::put);
        return o.toString();
    }

    private static Map<String, String> map(String json) throws SQLException {
        try {
            Map<String, String> out = new TreeMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored device's properties are not JSON", e);
        }
    }
}
