package io.orchide.ground.desired;

import io.orchide.ground.store.Sql;
import io.orchide.model.message.BundleIds;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.TenantQuota;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * The on-board part of tenants' quotas (cpu, memory, storage) as each satellite was last sent it
 * ({@code sent_quota}): a quota goes into the outbox, with the version after the last one sent to that satellite, in
 * the transaction of a desired change of the tenant's when it differs from what the satellite was sent, so that a
 * satellite has its tenant's quota before (bundles of higher priority) or with the changes it limits; and to every
 * satellite holding the tenant's objects when the quota changes ({@link DesiredState#quotaChanged}). A tenant with no
 * on-board limit that was never sent one is sent nothing.
 */
final class QuotaBundles {
    /** The table, as part of one entry of ground's migrations. */
    static final String MIGRATION = """
            CREATE TABLE sent_quota (
              satellite VARCHAR(63) NOT NULL,
              tenant VARCHAR(63) NOT NULL,
              version INTEGER NOT NULL,
              cpu_millis BIGINT,
              memory_bytes BIGINT,
              storage_bytes BIGINT,
              sent_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, tenant)
            )
            """;

    private record Limits(Long cpuMillis, Long memoryBytes, Long storageBytes) {
        boolean none() {
            return cpuMillis == null && memoryBytes == null && storageBytes == null;
        }
    }

    private QuotaBundles() {
    }

    /**
     * Queues {@code tenant}'s on-board quota for {@code satellite} in the caller's transaction when it differs from
     * what the satellite was last sent; returns the bundle's id, or null when nothing needed sending.
     */
    static String sendIfChanged(Connection c, String satellite, String tenant, Instant now) throws SQLException {
        if (tenant == null) return null;
        Limits want = declared(c, tenant);
        int version = 0;
        Limits sent = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, cpu_millis, memory_bytes, storage_bytes FROM sent_quota WHERE satellite = ? AND tenant = ?")) {
            Sql.bind(ps, satellite, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    version = rs.getInt("version");
                    sent = new Limits(Sql.nullableLong(rs, "cpu_millis"), Sql.nullableLong(rs, "memory_bytes"),
                            Sql.nullableLong(rs, "storage_bytes"));
                }
            }
        }
        if (sent == null ? want.none() : Objects.equals(sent, want)) return null;
        int next = version + 1;
        // the primary key stops two replicas sending one version twice: the later transaction fails and runs again
        if (sent == null) {
            Sql.update(c, "INSERT INTO sent_quota (satellite, tenant, version, cpu_millis, memory_bytes, storage_bytes, "
                    + "sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)", satellite, tenant, next, want.cpuMillis(),
                    want.memoryBytes(), want.storageBytes(), now);
        } else {
            Sql.update(c, "UPDATE sent_quota SET version = ?, cpu_millis = ?, memory_bytes = ?, storage_bytes = ?, "
                    + "sent_at = ? WHERE satellite = ? AND tenant = ? AND version = ?", next, want.cpuMillis(),
                    want.memoryBytes(), want.storageBytes(), now, satellite, tenant, version);
        }
        String bundle = BundleIds.quota(satellite, tenant, next);
        Outbox.add(c, bundle, satellite, BundleKind.QUOTA.wire(), BundleKind.QUOTA.priority(), BundleKind.QUOTA.lifetime(),
                new TenantQuota(tenant, next, want.cpuMillis(), want.memoryBytes(), want.storageBytes()).encode(), now);
        return bundle;
    }

    /** The tenant's declared cpu, memory and storage (none for a tenant ground does not know). */
    private static Limits declared(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT cpu_millis, memory_bytes, storage_bytes FROM tenant WHERE name = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new Limits(null, null, null);
                return new Limits(Sql.nullableLong(rs, "cpu_millis"), Sql.nullableLong(rs, "memory_bytes"),
                        Sql.nullableLong(rs, "storage_bytes"));
            }
        }
    }
}
