package io.orchide.node.inference;

import io.orchide.model.Model;
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

/**
 * The models allowed on this node ({@code kind: Model}), kept in node.db and mirrored in memory. A model's file is
 * not here: it is a content image, named by the model's digest, in the node's image store.
 */
public final class ModelRegistry {
    private final Database db;
    private final Clock clock;
    private final Map<String, Model> models = new TreeMap<>();

    public ModelRegistry(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        synchronized (db.lock()) {
            try (PreparedStatement st = db.connection().prepareStatement("SELECT manifest FROM model");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Model g = Manifests.parseModel(rs.getString(1));
                    models.put(g.name(), g);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the models", e);
            } catch (ManifestException e) {
                throw new IllegalStateException("a stored model is not valid: " + e.getMessage(), e);
            }
        }
    }

    public synchronized Optional<Model> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public synchronized List<Model> list() {
        return new ArrayList<>(models.values());
    }


    /** Stores {@code model}, replacing the one of its name. */
    public synchronized ApplyResult apply(Model model) {
        Model before = models.get(model.name());
        if (model.equals(before)) return ApplyResult.UNCHANGED;
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("""
                        INSERT INTO model(name, tenant, manifest, applied_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET tenant = excluded.tenant, manifest = excluded.manifest,
                          applied_at = excluded.applied_at""")) {
                    st.setString(1, model.name());
                    st.setString(2, model.metadata().tenant());
                    st.setString(3, Manifests.toJson(model));
                    st.setLong(4, clock.millis());
                    st.executeUpdate();
                }
                return null;
            }, "store model " + model.name());
        }
        models.put(model.name(), model);
        return before == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
    }

    /** Removes model {@code name}; whether there was one. */
    public synchronized boolean delete(String name) {
        if (!models.containsKey(name)) return false;
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("DELETE FROM model WHERE name = ?")) {
                    st.setString(1, name);
                    st.executeUpdate();
                }
                return null;
            }, "delete model " + name);
        }
        models.remove(name);
        return true;
    }
}
