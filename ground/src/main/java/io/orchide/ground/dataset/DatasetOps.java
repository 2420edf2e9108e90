package io.orchide.ground.dataset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.BundleIds;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetFile;
import io.orchide.model.message.DatasetResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dataset operations asked of a satellite's node through ground, and the node's datasets as it last reported them.
 * An operation is stored with its command bundle in one transaction ({@link #queue}), so it goes up at the next
 * contact; the node's {@link DatasetResult} settles it (the first answer counts: a bundle delivered again changes
 * nothing) and replaces what ground holds of that node's datasets, so that a listing is answered at once, from the
 * last report, with its age.
 */
public final class DatasetOps {
    public static final String MIGRATION = """
            CREATE TABLE dataset_op (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              tenant VARCHAR(63),
              op VARCHAR(8) NOT NULL,
              dataset VARCHAR(63),
              file VARCHAR(255),
              target VARCHAR(63),
              name VARCHAR(255),
              state VARCHAR(16) NOT NULL,
              message TEXT,
              node VARCHAR(63),
              bundle_id VARCHAR(255) NOT NULL,
              created_at BIGINT NOT NULL,
              answered_at BIGINT,
              content ${blob}
            );
            CREATE INDEX dataset_op_by_satellite ON dataset_op (satellite, id);
            CREATE TABLE dataset_listing (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              dataset VARCHAR(63) NOT NULL,
              tenant VARCHAR(63) NOT NULL,
              files INTEGER NOT NULL,
              bytes BIGINT NOT NULL,
              quota_bytes BIGINT,
              quota_files INTEGER,
              truncated INTEGER NOT NULL,
              items TEXT NOT NULL,
              reported_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, node, dataset)
            )
            """;
    /**
     * What files going up or down add to an operation: a put's uplinked image ({@code content_ref}, and its size in
     * {@code content_bytes}), a get's file too large for its answer ({@code content_bytes}, {@code downlink}
     * {@link #COMING} until the file is here, then {@link #ARRIVED}).
     */
    public static final String MIGRATION_TRANSFERS = """
            ALTER TABLE dataset_op ADD COLUMN content_ref VARCHAR(71);
            ALTER TABLE dataset_op ADD COLUMN content_bytes BIGINT;
            ALTER TABLE dataset_op ADD COLUMN downlink VARCHAR(16)
            """;
    /** Every column of an operation but the bytes a get brought down (a list never reads those). */
    private static final String COLUMNS = "id, satellite, tenant, op, dataset, file, target, name, state, message, node, "
            + "bundle_id, created_at, answered_at, (content IS NOT NULL) AS has_content, content_ref, content_bytes, "
            + "downlink";
    /** An operation sent, not answered yet. */
    public static final String QUEUED = "queued";
    /** A get's file on its way down on its own / here. */
    public static final String COMING = "coming", ARRIVED = "arrived";

    private final GroundDatabase db;
    private final Clock clock;

    public DatasetOps(GroundDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * One operation: what was asked, for which tenant (null: the operator), and how it ended once answered; a put's
     * uplinked {@code contentRef} and its {@code contentBytes}, or a get's file going down on its own
     * ({@code contentBytes}, {@code downlink} {@link #COMING} or {@link #ARRIVED}; null for a file in the answer).
     */
    public record Op(long id, String satellite, String tenant, String op, String dataset, String file, String to,
                     String name, String state, String message, String node, String bundleId, Instant created,
                     Instant answered, boolean hasContent, String contentRef, Long contentBytes, String downlink) {
    }

    /** One dataset as a node of the satellite last reported it; {@code items} is the files' JSON array. */
    public record Listing(String satellite, String node, String dataset, String tenant, int files, long bytes,
                          Long quotaBytes, Integer quotaFiles, boolean truncated, String items, Instant reported) {
    }

    /** Stores operation {@code op} for {@code satellite} and its command bundle, in one transaction; returns it. */
    public Op queue(String satellite, String tenant, String op, String dataset, String file, String to, String name) {
        return queue(satellite, tenant, op, dataset, file, to, name, null, null, null);
    }

    /**
     * Stores operation {@code op} and its command bundle in one transaction, for a put with the uplinked image
     * {@code contentRef} ({@code contentBytes} long) asked by {@code by}; returns it.
     */
    public Op queue(String satellite, String tenant, String op, String dataset, String file, String to, String name,
                    String contentRef, Long contentBytes, String by) {
        return db.tx(c -> {
            Instant now = clock.instant();
            Fleet.ensure(c, satellite, now);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_op (satellite, tenant, op, dataset, "
                    + "file, target, name, state, bundle_id, created_at, content_ref, content_bytes) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                Sql.bind(ps, satellite, tenant, op, dataset, file, to, name, QUEUED, "", now, contentRef, contentBytes);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            String bundle = BundleIds.datasetCommand(satellite, id);
            Sql.update(c, "UPDATE dataset_op SET bundle_id = ? WHERE id = ?", bundle, id);
            Outbox.add(c, bundle, satellite, BundleKind.DATASET_COMMAND.wire(), BundleKind.DATASET_COMMAND.priority(),
                    BundleKind.DATASET_COMMAND.lifetime(),
                    new DatasetCommand(id, op, tenant, dataset, file, to, name, now, contentRef, contentBytes, by).encode(),
                    now);
            return new Op(id, satellite, tenant, op, dataset, file, to, name, QUEUED, null, null, bundle, now, null,
                    false, contentRef, contentBytes, null);
        });
    }

    /**
     * Takes node {@code r.node()}'s answer from {@code satellite} inside the intake's transaction {@code c}: settles
     * the operation it answers (if it is still queued, and of this satellite) and replaces that node's listing.
     */
    public static void store(Connection c, String satellite, DatasetResult r, Instant now) throws SQLException {
        // a get's own file may have come before its answer: neither overwrites what the other brought
        Sql.update(c, "UPDATE dataset_op SET state = ?, message = ?, node = ?, answered_at = ?, "
                + "content = COALESCE(?, content), content_bytes = COALESCE(?, content_bytes), "
                + "downlink = COALESCE(downlink, ?) WHERE id = ? AND satellite = ? AND state = ?", r.outcome(),
                r.message(), r.node(), now, r.content(), r.downlink(), r.downlink() == null ? null : COMING,
                r.command(), satellite, QUEUED);
        Sql.update(c, "DELETE FROM dataset_listing WHERE satellite = ? AND node = ?", satellite, r.node());
        for (DatasetResult.Listing l : r.datasets()) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            for (DatasetResult.FileEntry f : l.items()) {
                ObjectNode o = items.addObject().put("name", f.name()).put("bytes", f.bytes());
                if (f.modified() != null) o.put("modified", f.modified().toString());
            }
            Sql.update(c, "INSERT INTO dataset_listing (satellite, node, dataset, tenant, files, bytes, quota_bytes, "
                            + "quota_files, truncated, items, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    satellite, r.node(), l.name(), l.tenant(), l.files(), l.bytes(), l.quotaBytes(), l.quotaFiles(),
                    l.truncated() ? 1 : 0, items.toString(), r.at() == null ? now : r.at());
        }
    }

    /**
     * Takes the file a get sent down on its own, inside the intake's transaction {@code c}: kept as the operation's
     * content (once: the first copy counts), for the get of this satellite it answers.
     */
    public static void storeFile(Connection c, String satellite, DatasetFile f) throws SQLException {
        Sql.update(c, "UPDATE dataset_op SET content = ?, content_bytes = ?, downlink = ? "
                        + "WHERE id = ? AND satellite = ? AND op = ? AND (downlink IS NULL OR downlink <> ?)",
                f.content(), f.header().size(), ARRIVED, f.header().command(), satellite, DatasetCommand.GET, ARRIVED);
    }

    /** Operation {@code id}, if there is one. */
    public Optional<Op> get(long id) {
        return db.read(c -> ops(c, "SELECT " + COLUMNS + " FROM dataset_op WHERE id = ?", id).stream().findFirst());
    }

    /** The bytes a {@code get} operation {@code id} brought down; empty while it has none. */
    public Optional<byte[]> content(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content FROM dataset_op WHERE id = ?")) {
                Sql.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** The operations asked of {@code satellite}, newest first, at most {@code limit}. */
    public List<Op> list(String satellite, int limit) {
        return db.read(c -> ops(c, "SELECT " + COLUMNS + " FROM dataset_op WHERE satellite = ? ORDER BY id DESC LIMIT ?",
                satellite, limit));
    }

    /** The datasets of {@code satellite} as its nodes last reported them, by name. */
    public List<Listing> listing(String satellite) {
        return db.read(c -> {
            List<Listing> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM dataset_listing WHERE satellite = ? ORDER BY dataset, node")) {
                Sql.bind(ps, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long qb = rs.getLong("quota_bytes");
                        Long quotaBytes = rs.wasNull() ? null : qb;
                        int qf = rs.getInt("quota_files");
                        Integer quotaFiles = rs.wasNull() ? null : qf;
                        out.add(new Listing(satellite, rs.getString("node"), rs.getString("dataset"),
                                rs.getString("tenant"), rs.getInt("files"), rs.getLong("bytes"), quotaBytes,
                                quotaFiles, rs.getInt("truncated") != 0, rs.getString("items"),
                                Sql.instant(rs, "reported_at")));
                    }
                }
            }
            return out;
        });
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static List<Op> ops(Connection c, String sql, Object... args) throws SQLException {
        List<Op> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Op(rs.getLong("id"), rs.getString("satellite"), rs.getString("tenant"),
                            rs.getString("op"), rs.getString("dataset"), rs.getString("file"), rs.getString("target"),
                            rs.getString("name"), rs.getString("state"), rs.getString("message"),
                            rs.getString("node"), rs.getString("bundle_id"), Sql.instant(rs, "created_at"),
                            Sql.instant(rs, "answered_at"), rs.getBoolean("has_content"), rs.getString("content_ref"),
                            nullableLong(rs, "content_bytes"), rs.getString("downlink")));
                }
            }
        }
        return out;
    }
}
