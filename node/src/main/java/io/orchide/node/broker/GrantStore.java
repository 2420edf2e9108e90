package io.orchide.node.broker;

import io.orchide.model.DeviceGrant;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;
import io.orchide.node.workload.ApplyResult;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The device grants applied on this node ({@code kind: DeviceGrant}), kept in node.db and mirrored in memory. */
public final class GrantStore {
    private final Database db;
    private final Clock clock;
    private final Map<String, DeviceGrant> grants = new TreeMap<>();

    public GrantStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        synchronized (db.lock()) {
            try (PreparedStatement st = db.connection().prepareStatement("SELECT manifest FROM device_grant");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    DeviceGrant g = Manifests.parseDeviceGrant(rs.getString(1));
                    grants.put(g.name(), g);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the device grants", e);
            } catch (ManifestException e) {
                throw new IllegalStateException("a stored device grant is not valid: " + e.getMessage(), e);
            }
        }
    }

    public synchronized Optional<DeviceGrant> get(String name) {
        return Optional.ofNullable(grants.get(name));
    }

    public synchronized List<DeviceGrant> list() {
        return new ArrayList<>(grants.values());
    }

    /** The grants on {@code device}, by name. */
    public synchronized List<DeviceGrant> forDevice(String device) {
        return grants.values().stream().filter(g -> g.spec().device().equals(device)).toList();
    }

    /** Stores {@code grant}, replacing the one of its name. */
    public synchronized ApplyResult apply(DeviceGrant grant) {
        DeviceGrant before = grants.get(grant.name());
        if (grant.equals(before)) return ApplyResult.UNCHANGED;
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("""
                        INSERT INTO device_grant(name, tenant, manifest, applied_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET tenant = excluded.tenant, manifest = excluded.manifest,
                          applied_at = excluded.applied_at""")) {
                    st.setString(1, grant.name());
                    st.setString(2, grant.metadata().tenant());
                    st.setString(3, Manifests.toJson(grant));
                    st.setLong(4, clock.millis());
                    st.executeUpdate();
                }
                return null;
            }, "store device grant " + grant.name());
        }
        grants.put(grant.name(), grant);
        return before == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
    }

    /** Removes grant {@code name}; whether there was one. */
    public synchronized boolean delete(String name) {
        if (!grants.containsKey(name)) return false;
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("DELETE FROM device_grant WHERE name = ?")) {
                    st.setString(1, name);
                    st.executeUpdate();
                }
                return null;
            }, "delete device grant " + name);
        }
        grants.remove(name);
        return true;
    }
}
