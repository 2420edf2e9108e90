package io.orchide.ground.product;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.ProductPayload;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Products received from satellites, content included, in the database (so every replica serves them): the
 * metadata in {@code product}, the bytes in {@code product_chunk} rows of {@value #CHUNK} bytes. A product is stored
 * once per (satellite, node product id).
 */
public final class Products {
    public static final int CHUNK = 1 << 20;
    private static final System.Logger LOG = System.getLogger(Products.class.getName());

    private final GroundDatabase db;

    public Products(GroundDatabase db) {
        this.db = db;
    }

    /**
     * Stores the product within the caller's transaction, with the tenant of the pipeline its lineage names (its
     * product bytes count against that tenant's quota; a product is kept even over it: it came down at a cost, and
     * the tenant's new work is refused instead); empty when that satellite's product was already stored.
     */
    public Optional<Long> store(Connection c, String satellite, String bundleId, ProductPayload p, Instant received)
            throws SQLException {
        ProductPayload.Header h = p.header();
        String tenant = tenant(c, satellite, h.lineage());
        Long id = null;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO product (satellite, node_product_id, bundle_id, run, "
                + "step, item, name, size, sha256, priority, created_at, expires_at, lineage, received_at, tenant) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (satellite, node_product_id) DO NOTHING "
                + "RETURNING id")) {
            Sql.bind(ps, satellite, h.id(), bundleId, h.run(), h.step(), h.item(), h.name(), h.size(), h.sha256(),
                    h.priority(), h.created(), h.expires(), h.lineage(), received, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) id = rs.getLong(1);
            }
        }
        if (id == null) return Optional.empty();
        byte[] content = p.content();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO product_chunk (product_id, seq, data) VALUES (?, ?, ?)")) {
            int seq = 0;
            for (int off = 0; off < content.length || seq == 0; off += CHUNK, seq++) {
                int len = Math.min(CHUNK, content.length - off);
                byte[] part = new byte[len];
                System.arraycopy(content, off, part, 0, len);
                Sql.bind(ps, id, seq, part);
                ps.executeUpdate();
            }
        }
        if (tenant != null) warnOverQuota(c, tenant, h);
        return Optional.of(id);
    }

    /** Says so in the log when the product just kept takes (or keeps) its tenant over its product bytes. */
    private static void warnOverQuota(Connection c, String tenant, ProductPayload.Header h) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.product_bytes, (SELECT COALESCE(SUM(size), 0) FROM product "
                + "WHERE tenant = ?) FROM tenant t WHERE t.name = ?")) {
            Sql.bind(ps, tenant, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                long limit = rs.getLong(1);
                if (rs.wasNull() || rs.getLong(2) <= limit) return;
                LOG.log(System.Logger.Level.WARNING, "product {0} of run {1} kept over tenant {2}''s quota products: limit {3} "
                        + "bytes, used {4} bytes; its new work is refused until its quota is raised", h.name(), h.run(), tenant,
                        Long.toString(limit), Long.toString(rs.getLong(2)));
            }
        }
    }

    /** The tenant of the pipeline {@code lineage} names on {@code satellite} (deleted or not), or null when nothing says. */
    static String tenant(Connection c, String satellite, String lineage) throws SQLException {
        String pipeline = ProductOwner.pipeline(lineage);
        if (pipeline == null) return null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tenant FROM desired_object WHERE satellite = ? AND kind = ? AND name = ?")) {
            Sql.bind(ps, satellite, DesiredChange.PIPELINE, pipeline);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Products newest first, optionally of one satellite and/or one run. */
    public List<ProductRecord> list(String satellite, String run, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM product WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (satellite != null) {
            sql.append(" AND satellite = ?");
            args.add(satellite);
        }
        if (run != null) {
            sql.append(" AND run = ?");
            args.add(run);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return db.read(c -> {
            List<ProductRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(record(rs));
                }
            }
            return out;
        });
    }

    public Optional<ProductRecord> get(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM product WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Removes product {@code id} and its content (its bytes no longer count against its tenant); false when there is none. */
    public boolean delete(long id) {
        return db.tx(c -> {
            Sql.update(c, "DELETE FROM product_chunk WHERE product_id = ?", id);
            return Sql.update(c, "DELETE FROM product WHERE id = ?", id) > 0;
        });
    }

    /** Writes the product's bytes to {@code out}, one chunk row at a time. */
    public void copyContent(long id, OutputStream out) throws IOException {
        try {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT data FROM product_chunk WHERE product_id = ? AND seq = ?")) {
                    for (int seq = 0; ; seq++) {
                        Sql.bind(ps, id, seq);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) return null;
                            out.write(rs.getBytes(1));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static ProductRecord record(ResultSet rs) throws SQLException {
        return new ProductRecord(rs.getLong("id"), rs.getString("satellite"), rs.getLong("node_product_id"),
                rs.getString("bundle_id"), rs.getString("run"), rs.getString("step"), rs.getString("item"),
                rs.getString("name"), rs.getLong("size"), rs.getString("sha256"), rs.getInt("priority"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), rs.getString("lineage"),
                Sql.instant(rs, "received_at"));
    }
}
