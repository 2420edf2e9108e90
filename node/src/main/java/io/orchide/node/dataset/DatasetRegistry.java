package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.FieldError;
import io.orchide.model.Manifests;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;
import io.orchide.node.store.Transactions;
import io.orchide.node.workload.ApplyResult;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The datasets declared on this node ({@code kind: Dataset}), kept in node.db and mirrored in memory, in their
 * directories ({@link DatasetDeclaration}) for writers outside the agent. A dataset name is one namespace on the
 * node: a name declared by one tenant is refused to another.
 */
public final class DatasetRegistry {
    private final Database db;
    private final NodeLayout layout;
    private final Clock clock;
    private final Map<String, Dataset> declared = new TreeMap<>();

    public DatasetRegistry(Database db, NodeLayout layout, Clock clock) {
        this.db = db;
        this.layout = layout;
        this.clock = clock;
        synchronized (db.lock()) {
            try (PreparedStatement st = db.connection().prepareStatement("SELECT manifest FROM dataset");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Dataset d = Manifests.parseDataset(rs.getString(1));
                    declared.put(d.name(), d);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the declared datasets", e);
            } catch (io.orchide.model.ManifestException e) {
                throw new IllegalStateException("a stored dataset is not valid: " + e.getMessage(), e);
            }
        }
        // the copies follow node.db: one lost to a crash between the row and the file is made again here
        for (Dataset d : declared.values()) {
            try {
                DatasetDeclaration.write(layout.dataset(d.name()), d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the declaration of dataset " + d.name(), e);
            }
        }
    }

    /** The declared dataset {@code name}, if it is declared. */
    public synchronized Optional<Dataset> get(String name) {
        return Optional.ofNullable(declared.get(name));
    }

    /** Every declared dataset, by name. */
    public synchronized List<Dataset> list() {
        return new ArrayList<>(declared.values());
    }

    /**
     * Declares {@code dataset}, or changes its declaration. A quota lowered below what the dataset holds is taken:
     * its files stay, and writes are refused until it is under its quota again.
     *
     * @throws DatasetRefusedException when another tenant has declared a dataset of this name
     */
    public synchronized ApplyResult apply(Dataset dataset) throws DatasetRefusedException {
        Dataset before = declared.get(dataset.name());
        if (before != null && !before.metadata().tenant().equals(dataset.metadata().tenant())) {
            throw new DatasetRefusedException("dataset " + dataset.name() + " belongs to another tenant",
                    List.of(new FieldError("metadata.name", dataset.name(),
                            "is declared on this node by another tenant")));
        }
        if (dataset.equals(before)) return ApplyResult.UNCHANGED;
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("""
                        INSERT INTO dataset(name, tenant, manifest, applied_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET tenant = excluded.tenant, manifest = excluded.manifest,
                          applied_at = excluded.applied_at""")) {
                    st.setString(1, dataset.name());
                    st.setString(2, dataset.metadata().tenant());
                    st.setString(3, Manifests.toJson(dataset));
                    st.setLong(4, clock.millis());
                    st.executeUpdate();
                }
                return null;
            }, "declare dataset " + dataset.name());
        }
        // after the row: a declaration file without its row would hold writers to a quota the node does not know
        try {
            DatasetDeclaration.write(layout.dataset(dataset.name()), dataset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the declaration of dataset " + dataset.name(), e);
        }
        declared.put(dataset.name(), dataset);
        return before == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
    }

    /**
     * Forgets the declaration of {@code name}: its files stay, as an undeclared dataset of the operator.
     *
     * @return whether it was declared
     */
    public synchronized boolean delete(String name) {
        if (!declared.containsKey(name)) return false;
        try {
            DatasetDeclaration.remove(layout.dataset(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the declaration of dataset " + name, e);
        }
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                try (PreparedStatement st = db.connection().prepareStatement("DELETE FROM dataset WHERE name = ?")) {
                    st.setString(1, name);
                    st.executeUpdate();
                }
                return null;
            }, "forget dataset " + name);
        }
        declared.remove(name);
        return true;
    }
}
