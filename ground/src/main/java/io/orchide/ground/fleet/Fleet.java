package io.orchide.ground.fleet;

import io.orchide.model.message.MessageException;
import io.orchide.model.message.NodeHello;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.link.PeerContact;
import io.orchide.model.codec.Trees;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet registry: satellites and their nodes. A node registers itself at its first contact and its facts are
 * updated at each; a satellite may also be addressed (desired state applied) before it ever made contact.
 */
public final class Fleet {
    private static final System.Logger LOG = System.getLogger(Fleet.class.getName());

    private final GroundDatabase db;
    private final Clock clock;

    public Fleet(GroundDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records a contact opened by {@code peer}: the satellite (created if new) gets its last contact time and
     * downlink queue; the node its facts. Info that does not describe a node is refused (the contact is still
     * recorded) and the reason returned; null when all was recorded.
     */
    public String contact(PeerContact peer) {
        String sat = peer.name();
        if (!SatelliteNames.valid(sat)) {
            LOG.log(System.Logger.Level.WARNING, "contact from a peer not named like a satellite: {0}", sat);
            return "peer name '" + sat + "' " + SatelliteNames.problem(sat);
        }
        Instant at = peer.at() == null ? clock.instant() : peer.at();
        NodeHello facts = null;
        String problem = null;
        try {
            facts = NodeHello.decode(peer.info());
        } catch (MessageException e) {
            problem = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "satellite {0}: {1}", sat, problem);
        }
        NodeHello f = facts;
        db.tx(c -> {
            ensure(c, sat, at);
            Sql.update(c, "UPDATE satellite SET last_contact = ?, downlink_bundles = ?, downlink_bytes = ?, "
                    + "downlink_as_of = ? WHERE name = ?", at, peer.queuedBundles(), peer.queuedBytes(), at, sat);
            if (f != null) {
                Sql.update(c, "INSERT INTO sat_node (satellite, name, arch, cores, memory_mib, monitors, accelerators, "
                                + "devices, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT (satellite, name) DO UPDATE SET arch = excluded.arch, cores = excluded.cores, "
                                + "memory_mib = excluded.memory_mib, monitors = excluded.monitors, "
                                + "accelerators = excluded.accelerators, devices = excluded.devices, "
                                + "version = excluded.version, last_seen = excluded.last_seen",
                        sat, f.node(), f.arch().wire(), f.cores(), f.memoryMib(), monitorsJson(f.monitors()),
                        f.accelerators(), f.devices(), f.version(), at, at);
            }
            return null;
        });
        return problem;
    }

    /**
     * Records that the contact with {@code sat} ended now: its last contact is the session's end, not its start (a
     * later time already recorded, by a replica whose clock is ahead, is kept).
     */
    public void contactEnded(String sat) {
        if (!SatelliteNames.valid(sat)) return;
        Instant now = clock.instant();
        db.tx(c -> {
            Sql.update(c, "UPDATE satellite SET last_contact = ? WHERE name = ? AND (last_contact IS NULL OR last_contact < ?)",
                    now, sat, now);
            return null;
        });
    }

    /** Creates the satellite's row if it has none (within the caller's transaction). */
    public static void ensure(Connection c, String sat, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO satellite (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", sat, now);
    }

    /** Every satellite with its nodes' facts. */
    public List<SatelliteRecord> list() {
        return list(true);
    }

    /**
     * Every satellite, by name; with {@code facts} false its nodes carry only their names (and last seen), which
     * spares reading and decoding every node's facts for a fleet listing.
     */
    public List<SatelliteRecord> list(boolean facts) {
        return db.read(c -> {
            Map<String, List<NodeRecord>> nodes = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(facts ? "SELECT * FROM sat_node ORDER BY satellite, name"
                    : "SELECT satellite, name, last_seen FROM sat_node ORDER BY satellite, name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    NodeRecord n = facts ? node(rs) : new NodeRecord(rs.getString(2), null, 0, 0, List.of(), null, null,
                            null, null, Sql.instant(rs, "last_seen"));
                    nodes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(n);
                }
            }
            List<SatelliteRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM satellite ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(satellite(rs, nodes.getOrDefault(rs.getString("name"), List.of())));
            }
            return out;
        });
    }

    /**
     * At most {@code limit} satellites by name, those after {@code after} (null: from the first), with their nodes'
     * names only: one page of a fleet listing, read with two range queries however large the fleet.
     */
    public List<SatelliteRecord> page(String after, int limit) {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            List<SatelliteRecord> out = new ArrayList<>();
            String from = after == null ? "" : after;
            Map<String, List<NodeRecord>> nodes = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM satellite WHERE name > ? ORDER BY name LIMIT ?")) {
                ps.setString(1, from);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString("name"));
                        out.add(satellite(rs, List.of()));
                    }
                }
            }
            if (names.isEmpty()) return out;
            try (PreparedStatement ps = c.prepareStatement("SELECT satellite, name, last_seen FROM sat_node"
                    + " WHERE satellite > ? AND satellite <= ? ORDER BY satellite, name")) {
                ps.setString(1, from);
                ps.setString(2, names.getLast());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        nodes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new NodeRecord(rs.getString(2), null, 0, 0,
                                List.of(), null, null, null, null, Sql.instant(rs, "last_seen")));
                    }
                }
            }
            return out.stream().map(r -> new SatelliteRecord(r.name(), r.created(), r.lastContact(), r.downlinkBundles(),
                    r.downlinkBytes(), r.downlinkAsOf(), List.copyOf(nodes.getOrDefault(r.name(), List.of())))).toList();
        });
    }

    public Optional<SatelliteRecord> get(String sat) {
        return db.read(c -> {
            List<NodeRecord> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sat_node WHERE satellite = ? ORDER BY name")) {
                ps.setString(1, sat);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) nodes.add(node(rs));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM satellite WHERE name = ?")) {
                ps.setString(1, sat);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(satellite(rs, nodes)) : Optional.empty();
                }
            }
        });
    }

    private static SatelliteRecord satellite(ResultSet rs, List<NodeRecord> nodes) throws SQLException {
        return new SatelliteRecord(rs.getString("name"), Sql.instant(rs, "created_at"), Sql.instant(rs, "last_contact"),
                Sql.nullableLong(rs, "downlink_bundles"), Sql.nullableLong(rs, "downlink_bytes"),
                Sql.instant(rs, "downlink_as_of"), List.copyOf(nodes));
    }

    private static NodeRecord node(ResultSet rs) throws SQLException {
        List<String> monitors = new ArrayList<>();
        try {
            JsonNode m = Trees.readJson(rs.getString("monitors").getBytes(StandardCharsets.UTF_8));
            m.forEach(x -> monitors.add(x.asText()));
        } catch (java.io.IOException e) {
            // written by us as a JSON array
        }
        return new NodeRecord(rs.getString("name"), rs.getString("arch"), rs.getInt("cores"), rs.getLong("memory_mib"),
                List.copyOf(monitors), rs.getString("accelerators"), rs.getString("devices"), rs.getString("version"),
                Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen"));
    }

    private static String monitorsJson(List<String> monitors) {
        var a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        monitors.forEach(a::add);
        return Trees.toJson(a, false);
    }
}
