package io.orchide.ground.quota;

import io.orchide.ground.desired.Admission;
import io.orchide.ground.desired.ApplyOutcome;
import io.orchide.ground.store.Dialect;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.tenant.Quota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ground's quotas per tenant: Apps and Pipelines (live objects, one per satellite they are applied to), image bytes
 * (the images the tenant pushed, each digest once), uplink bytes per UTC day (what its desired state and images send
 * to satellites, from 00:00 UTC), product bytes kept on ground.
 *
 * <p>Exact across replicas: each check reads the use and writes what it admits in one transaction that first locks
 * the tenant's row ({@code SELECT ... FOR UPDATE} on PostgreSQL; on SQLite a write to that row, which takes the
 * database's one write lock), so two requests of one tenant are admitted one after the other and the second counts
 * the first. A tenant with no ground limit is not locked.
 */
public final class Quotas {
    /** The schema this feature adds (an entry of ground's migrations). */
    public static final String MIGRATION = """
            ALTER TABLE tenant ADD COLUMN apps BIGINT;
            ALTER TABLE tenant ADD COLUMN pipelines BIGINT;
            ALTER TABLE tenant ADD COLUMN image_bytes BIGINT;
            ALTER TABLE tenant ADD COLUMN product_bytes BIGINT;
            ALTER TABLE product ADD COLUMN tenant VARCHAR(63);
            CREATE INDEX product_by_tenant ON product (tenant);
            CREATE INDEX desired_object_by_tenant ON desired_object (tenant, kind);
            CREATE TABLE tenant_uplink (
              id ${id},
              tenant VARCHAR(63) NOT NULL,
              satellite VARCHAR(63) NOT NULL,
              at BIGINT NOT NULL,
              bytes BIGINT NOT NULL,
              what VARCHAR(200) NOT NULL
            );
            CREATE INDEX tenant_uplink_by_tenant ON tenant_uplink (tenant, at)
            """;

    private final GroundDatabase db;
    private final Clock clock;

    public Quotas(GroundDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The quota of {@code tenant}, or null when there is no such tenant. */
    public Quota quota(String tenant) {
        return db.read(c -> quota(c, tenant));
    }

    /** What {@code tenant} uses now. */
    public QuotaUse use(String tenant) {
        return db.read(c -> use(c, tenant, clock.instant()));
    }

    /** Every tenant's use now, by name. */
    public Map<String, QuotaUse> uses(List<String> tenants) {
        return db.read(c -> {
            Map<String, QuotaUse> out = new TreeMap<>();
            Instant now = clock.instant();
            for (String t : tenants) out.put(t, use(c, t, now));
            return out;
        });
    }

    /** The start of the UTC day {@code now} is in: uplink use counts from there. */
    public static Instant dayStart(Instant now) {
        return now.truncatedTo(ChronoUnit.DAYS);
    }

    static QuotaUse use(Connection c, String tenant, Instant now) throws SQLException {
        return new QuotaUse(
                count(c, "SELECT COUNT(*) FROM desired_object WHERE tenant = ? AND kind = ? AND manifest IS NOT NULL", tenant, DesiredChange.APP),
                count(c, "SELECT COUNT(*) FROM desired_object WHERE tenant = ? AND kind = ? AND manifest IS NOT NULL", tenant, DesiredChange.PIPELINE),
                count(c, "SELECT COALESCE(SUM(i.size), 0) FROM image_tenant t JOIN image i ON i.digest = t.digest WHERE t.tenant = ?", tenant),
                count(c, "SELECT COALESCE(SUM(bytes), 0) FROM tenant_uplink WHERE tenant = ? AND at >= ?", tenant, dayStart(now)),
                count(c, "SELECT COALESCE(SUM(size), 0) FROM product WHERE tenant = ?", tenant));
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The quota of {@code tenant}, its row locked until the transaction ends when it sets a ground limit; null when
     * there is no such tenant or no ground limit (nothing to check).
     */
    private Quota lock(Connection c, String tenant) throws SQLException {
        Quota q = quota(c, tenant);
        if (q == null || !limited(q)) return null;
        if (db.dialect() == Dialect.POSTGRES) {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM tenant WHERE name = ? FOR UPDATE")) {
                ps.setString(1, tenant);
                ps.executeQuery().close();
            }
        } else {
            // SQLite has one writer: the first write takes the lock, and the use read after it is the latest
            Sql.update(c, "UPDATE tenant SET name = name WHERE name = ?", tenant);
        }
        return q;
    }

    private static boolean limited(Quota q) {
        return q.apps() != null || q.pipelines() != null || q.imageBytes() != null || q.uplinkBytesPerDay() != null
                || q.productBytes() != null;
    }

    static Quota quota(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tenant WHERE name = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new Quota(Sql.nullableLong(rs, "cpu_millis"), Sql.nullableLong(rs, "memory_bytes"),
                        Sql.nullableLong(rs, "storage_bytes"), Sql.nullableLong(rs, "uplink_bytes_per_day"),
                        Sql.nullableLong(rs, "apps"), Sql.nullableLong(rs, "pipelines"), Sql.nullableLong(rs, "image_bytes"),
                        Sql.nullableLong(rs, "product_bytes"));
            }
        }
    }

    // ---- applies

    /**
     * The check of an apply to {@code satellite}, in its transaction (see {@link Admission}): for each tenant with
     * changes, new Apps and Pipelines within their counts, no new work while its products are over their limit, and
     * the bundles' bytes within today's uplink; the bytes admitted are then counted. Changes of objects that exist
     * are not counted again, so a tenant over a count lowered below its use can still update what it has.
     */
    public Admission admission() {
        return (c, satellite, now, changes) -> {
            Map<String, QuotaRequest> byTenant = new TreeMap<>(); // sorted: tenants locked in one order, no deadlock
            for (Admission.Change ch : changes) {
                if (ch.tenant() == null) continue;
                boolean created = ch.result().equals(ApplyOutcome.CREATED);
                QuotaRequest r = new QuotaRequest(created && ch.kind().equals(DesiredChange.APP) ? 1 : 0,
                        created && ch.kind().equals(DesiredChange.PIPELINE) ? 1 : 0, ch.bundleBytes(),
                        !ch.result().equals(ApplyOutcome.UNCHANGED));
                byTenant.merge(ch.tenant(), r, QuotaRequest::plus);
            }
            for (var e : byTenant.entrySet()) {
                String tenant = e.getKey();
                QuotaRequest r = e.getValue();
                Quota q = lock(c, tenant);
                if (q == null) continue;
                QuotaUse u = use(c, tenant, now); // the apply's own objects are in it already
                check(tenant, q, new QuotaUse(u.apps() - r.apps(), u.pipelines() - r.pipelines(), u.imageBytes(),
                        u.uplinkBytesToday(), u.productBytes()), r);
                charge(c, tenant, satellite, now, r.uplinkBytes(), "desired state");
            }
        };
    }

    /**
     * The same check before an apply's images are sent (an apply refused must send nothing), of what the apply would
     * ask of {@code tenant}'s quotas. Reads only; the apply's own transaction decides.
     */
    public void precheck(String tenant, QuotaRequest request) {
        db.read(c -> {
            Quota q = quota(c, tenant);
            if (q == null || !limited(q)) return null;
            check(tenant, q, use(c, tenant, clock.instant()), request);
            return null;
        });
    }

    /** Whether {@code tenant} has a ground limit (a request of it needs checking). */
    public boolean limited(String tenant) {
        Quota q = quota(tenant);
        return q != null && limited(q);
    }

    /** Throws for the first ground quota {@code r} would take over its limit, given the use {@code u} before it. */
    private static void check(String tenant, Quota q, QuotaUse u, QuotaRequest r) {
        if (r.work() && q.productBytes() != null && u.productBytes() > q.productBytes()) {
            throw new QuotaExceeded(tenant, QuotaUse.PRODUCTS, q.productBytes(), u.productBytes(), 0);
        }
        if (r.apps() > 0 && q.apps() != null && u.apps() + r.apps() > q.apps()) {
            throw new QuotaExceeded(tenant, QuotaUse.APPS, q.apps(), u.apps(), r.apps());
        }
        if (r.pipelines() > 0 && q.pipelines() != null && u.pipelines() + r.pipelines() > q.pipelines()) {
            throw new QuotaExceeded(tenant, QuotaUse.PIPELINES, q.pipelines(), u.pipelines(), r.pipelines());
        }
        if (r.uplinkBytes() > 0 && q.uplinkBytesPerDay() != null && u.uplinkBytesToday() + r.uplinkBytes() > q.uplinkBytesPerDay()) {
            throw new QuotaExceeded(tenant, QuotaUse.UPLINK, q.uplinkBytesPerDay(), u.uplinkBytesToday(), r.uplinkBytes());
        }
    }

    /** Counts {@code bytes} sent to {@code satellite} for {@code tenant} (images an apply sent) against today's uplink. */
    public void chargeUplink(String tenant, String satellite, long bytes, String what) {
        if (bytes <= 0) return;
        db.tx(c -> {
            charge(c, tenant, satellite, clock.instant(), bytes, what);
            return null;
        });
    }

    private static void charge(Connection c, String tenant, String satellite, Instant now, long bytes, String what)
            throws SQLException {
        if (bytes <= 0) return;
        // days before today count no more: the ledger keeps one day
        Sql.update(c, "DELETE FROM tenant_uplink WHERE tenant = ? AND at < ?", tenant, dayStart(now));
        Sql.update(c, "INSERT INTO tenant_uplink (tenant, satellite, at, bytes, what) VALUES (?, ?, ?, ?, ?)",
                tenant, satellite, now, bytes, what);
    }

    /** The manifest (JSON) of the live {@code kind} named {@code name} on {@code satellite}, or null when there is none. */
    public String manifest(String satellite, String kind, String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT manifest FROM desired_object WHERE satellite = ? AND kind = ? AND name = ?")) {
                Sql.bind(ps, satellite, kind, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    // ---- images

    /** Refuses an image of {@code size} bytes that {@code tenant} does not hold yet if it would exceed its image bytes. Reads only. */
    public void precheckImage(String tenant, String digest, long size) {
        db.read(c -> {
            checkImage(c, tenant, quota(c, tenant), digest, size);
            return null;
        });
    }

    /**
     * Records that {@code tenant} pushed image {@code digest} of {@code size} bytes, within its image bytes: checked
     * and recorded in one transaction. An image the tenant holds already is not counted again.
     */
    public void ownImage(String tenant, String digest, long size) {
        db.tx(c -> {
            Quota q = lock(c, tenant);
            if (checkImage(c, tenant, q, digest, size)) {
                Sql.update(c, "INSERT INTO image_tenant (digest, tenant, created_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (digest, tenant) DO NOTHING", digest, tenant, clock.instant());
            }
            return null;
        });
    }

    /** False when the tenant holds the image already; throws when adding it would exceed the tenant's image bytes. */
    private boolean checkImage(Connection c, String tenant, Quota q, String digest, long size) throws SQLException {
        if (count(c, "SELECT COUNT(*) FROM image_tenant WHERE digest = ? AND tenant = ?", digest, tenant) > 0) return false;
        if (q != null && q.imageBytes() != null) {
            long used = use(c, tenant, clock.instant()).imageBytes();
            if (used + size > q.imageBytes()) throw new QuotaExceeded(tenant, QuotaUse.IMAGES, q.imageBytes(), used, size);
        }
        return true;
    }
}
