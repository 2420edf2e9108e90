package io.orchide.node.dataset;

import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lineage of the files pipelines wrote into datasets, in node.db's {@code dataset_file} table, one row per file
 * (dataset, name). The run engine records a row in its own batch ({@link #put(Connection, DatasetFileLineage)}); the
 * dataset operations keep the rows with the files through this object: a copy takes its source's lineage, a move
 * carries it, a delete drops it. A row is shown only while the file still has the size it was written with, so a
 * file replaced by other means is not credited to the run.
 */
public final class DatasetLineage {
    private final Database db;

    public DatasetLineage(Database db) {
        this.db = db;
    }

    /** Records {@code l} through {@code c} (a connection whose transaction the caller owns), replacing a row there. */
    public static void put(Connection c, DatasetFileLineage l) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT OR REPLACE INTO dataset_file(dataset, name, tenant, run, pipeline, step, item, output,
                  size_bytes, sha256, image, inputs, written_at, uplinked_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")) {
            ps.setString(1, l.dataset());
            ps.setString(2, l.name());
            ps.setString(3, l.tenant());
            ps.setString(4, l.run());
            ps.setString(5, l.pipeline());
            ps.setString(6, l.step());
            if (l.item() == null) ps.setNull(7, java.sql.Types.INTEGER);
            else ps.setInt(7, l.item());
            ps.setString(8, l.output());
            ps.setLong(9, l.bytes());
            ps.setString(10, l.sha256());
            ps.setString(11, l.image());
            ps.setString(12, encode(l.inputs()));
            ps.setLong(13, l.written().toEpochMilli());
            ps.setString(14, l.uplinkedBy());
            ps.executeUpdate();
        }
    }

    /** The lineage of {@code dataset}/{@code name} while the file there is the one written ({@code bytes} long). */
    public Optional<DatasetFileLineage> find(String dataset, String name, long bytes) {
        return find(dataset, name).filter(l -> l.bytes() == bytes);
    }

    private Optional<DatasetFileLineage> find(String dataset, String name) {
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "SELECT * FROM dataset_file WHERE dataset = ? AND name = ?")) {
                ps.setString(1, dataset);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    int item = rs.getInt("item");
                    Integer boxed = rs.wasNull() ? null : item;
                    return Optional.of(new DatasetFileLineage(dataset, name, rs.getString("tenant"),
                            rs.getString("run"), rs.getString("pipeline"), rs.getString("step"), boxed,
                            rs.getString("output"), rs.getLong("size_bytes"), rs.getString("sha256"),
                            rs.getString("image"), decode(rs.getString("inputs")),
                            Instant.ofEpochMilli(rs.getLong("written_at")), rs.getString("uplinked_by")));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the lineage of " + dataset + "/" + name, e);
            }
        }
    }

    /** Records {@code l}, replacing what was recorded of that file. */
    public void put(DatasetFileLineage l) {
        synchronized (db.lock()) {
            try {
                put(db.connection(), l);
            } catch (SQLException e) {
                throw new StoreException("cannot record the lineage of " + l.dataset() + "/" + l.name(), e);
            }
        }
    }

    /** The file at {@code from}/{@code name} was copied (or with {@code move}, moved) to {@code to}/{@code newName}. */
    public void copied(String from, String name, String to, String newName, boolean move) {
        Optional<DatasetFileLineage> l = find(from, name);
        if (l.isEmpty()) return;
        synchronized (db.lock()) {
            try {
                put(db.connection(), l.get().at(to, newName));
                if (move) delete(from, name);
            } catch (SQLException e) {
                throw new StoreException("cannot carry the lineage of " + from + "/" + name, e);
            }
        }
    }

    /** The file at {@code dataset}/{@code name} was deleted. */
    public void deleted(String dataset, String name) {
        synchronized (db.lock()) {
            try {
                delete(dataset, name);
            } catch (SQLException e) {
                throw new StoreException("cannot forget the lineage of " + dataset + "/" + name, e);
            }
        }
    }

    private void delete(String dataset, String name) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "DELETE FROM dataset_file WHERE dataset = ? AND name = ?")) {
            ps.setString(1, dataset);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    private static String encode(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(m).forEach((k, v) -> b.append(k).append('\t').append(v.replace('\n', ' ')).append('\n'));
        return b.toString();
    }

    private static Map<String, String> decode(String s) {
        Map<String, String> m = new TreeMap<>();
        for (String line : s.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) m.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return m;
    }
}
