package io.orchide.node.housekeeping;

import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * How far each step console was summarised, in node.db ({@code step_log_offset}), so that the first attempt after an
 * agent restart is summarised from where the last one before it stopped, not from the console's start. Bounded: past
 * {@code max} consoles the one written longest ago goes (its run is long over, or its directory was reclaimed).
 */
public final class StepLogOffsets {
    /** How far {@code console} was read, in the file whose key was {@code fileKey} (null where the file system has none). */
    public record Offset(String fileKey, long offset) {
    }

    private final Connection c;
    private final Object lock;
    private final int max;

    public StepLogOffsets(Database db, int max) {
        if (max < 1) throw new IllegalArgumentException("max " + max + ": at least 1");
        this.c = db.connection();
        this.lock = db.lock();
        this.max = max;
    }

    public Optional<Offset> get(Path console) {
        synchronized (lock) {
            try (PreparedStatement ps = c.prepareStatement("SELECT file_key, offset FROM step_log_offset WHERE console = ?")) {
                ps.setString(1, console.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Offset(rs.getString(1), rs.getLong(2))) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the summarised offset of " + console, e);
            }
        }
    }

    public void put(Path console, Offset o) {
        synchronized (lock) {
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_log_offset (console, file_key, offset, seq) "
                        + "VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM step_log_offset)) ON CONFLICT (console) DO UPDATE "
                        + "SET file_key = excluded.file_key, offset = excluded.offset, seq = excluded.seq")) {
                    ps.setString(1, console.toString());
                    ps.setString(2, o.fileKey());
                    ps.setLong(3, o.offset());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM step_log_offset WHERE seq <= "
                        + "(SELECT MAX(seq) FROM step_log_offset) - ?")) {
                    ps.setInt(1, max);
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw new StoreException("cannot keep the summarised offset of " + console, e);
            }
        }
    }
}
