package io.orchide.node.tenant;

import io.orchide.model.message.TenantQuota;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' on-board quotas as ground last sent them, kept in the agent's database ({@code tenant_quota}) so that
 * the node enforces them through reboots and weeks out of contact. A quota is taken only when its version is newer
 * than the one held (a bundle delivered twice, or an older one arriving late, changes nothing). Read from memory:
 * admission asks on every apply.
 */
public final class TenantQuotas implements QuotaSource {
    private final Connection c;
    private final Object lock;
    private final Clock clock;
    private final Map<String, TenantQuota> held = new ConcurrentHashMap<>();

    public TenantQuotas(Database db, Clock clock) {
        this.c = db.connection();
        this.lock = db.lock(); // the agent's shared writer
        this.clock = clock;
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tenant_quota");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TenantQuota q = new TenantQuota(rs.getString("tenant"), rs.getInt("version"),
                            nullable(rs, "cpu_millis"), nullable(rs, "memory_bytes"), nullable(rs, "storage_bytes"));
                    held.put(q.tenant(), q);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the tenants' quotas", e);
            }
        }
    }

    @Override
    public Optional<TenantQuota> of(String tenant) {
        return Optional.ofNullable(held.get(tenant));
    }

    public List<TenantQuota> all() {
        return held.values().stream().sorted(java.util.Comparator.comparing(TenantQuota::tenant)).toList();
    }

    /** Stores {@code q} when it is newer than the quota held for its tenant; true when it was taken. */
    public boolean take(TenantQuota q) {
        synchronized (lock) {
            TenantQuota old = held.get(q.tenant());
            if (old != null && old.version() >= q.version()) return false;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tenant_quota(tenant, version, cpu_millis, memory_bytes, storage_bytes, at)
                    VALUES (?,?,?,?,?,?) ON CONFLICT(tenant) DO UPDATE SET version=excluded.version,
                      cpu_millis=excluded.cpu_millis, memory_bytes=excluded.memory_bytes,
                      storage_bytes=excluded.storage_bytes, at=excluded.at
                    """)) {
                ps.setString(1, q.tenant());
                ps.setInt(2, q.version());
                set(ps, 3, q.cpuMillis());
                set(ps, 4, q.memoryBytes());
                set(ps, 5, q.storageBytes());
                ps.setLong(6, clock.millis());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot store the quota of tenant " + q.tenant(), e);
            }
            held.put(q.tenant(), q); // after the write: a quota is enforced only once it survives a reboot
            return true;
        }
    }

    private static void set(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setLong(i, v);
    }

    private static Long nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
