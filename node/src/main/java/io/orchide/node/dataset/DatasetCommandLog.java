package io.orchide.node.dataset;

import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.model.message.MessageException;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dataset operations ground sent, by ground's id, in node.db's {@code dataset_command} table: {@link #STARTED}
 * before the operation touches a file, {@link #WAITING} while a {@code put} waits for its content, {@link #DONE}
 * with the answer sent. A command delivered again (ground sent it anew after an answer was lost, or the link offered
 * it again after a crash) is answered from its row, never done twice; a row left {@code started} tells that a
 * crash came in the middle of the operation, whose effect may already be on disk. A done row is kept for
 * {@link #KEEP_DONE}, twice the lifetime of a command's bundle: after that no copy of the command can still arrive.
 */
public final class DatasetCommandLog {
    public static final String STARTED = "started", WAITING = "waiting", DONE = "done";
    /** How long the answer of a command done is kept. */
    public static final java.time.Duration KEEP_DONE =
            io.orchide.model.message.BundleKind.DATASET_COMMAND.lifetime().multipliedBy(2);

    private final Database db;
    private final Clock clock;

    public DatasetCommandLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A command as recorded: its state and, once done, the answer it got. */
    public record Entry(DatasetCommand command, String state, DatasetResult result) {
    }

    /** The record of command {@code id}, if it came before. */
    public Optional<Entry> find(long id) {
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "SELECT command, state, result FROM dataset_command WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    byte[] result = rs.getBytes(3);
                    return Optional.of(new Entry(DatasetCommand.decode(rs.getBytes(1)), rs.getString(2),
                            result == null ? null : DatasetResult.decode(result)));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read dataset command " + id, e);
            } catch (MessageException e) {
                throw new IllegalStateException("dataset command " + id + " recorded unreadable: " + e.getMessage(), e);
            }
        }
    }

    /** Records {@code c} in {@code state} ({@link #STARTED} or {@link #WAITING}), without an answer. */
    public void mark(DatasetCommand c, String state) {
        write(c, state, null);
    }

    /** Records that {@code c} was answered with {@code r}, and forgets the answers older than {@link #KEEP_DONE}. */
    public void done(DatasetCommand c, DatasetResult r) {
        write(c, DONE, r);
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "DELETE FROM dataset_command WHERE state = ? AND updated_at < ?")) {
                ps.setString(1, DONE);
                ps.setLong(2, clock.instant().minus(KEEP_DONE).toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot forget old dataset commands", e);
            }
        }
    }

    /** The commands waiting for their content, oldest first. */
    public List<DatasetCommand> waiting() {
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "SELECT command FROM dataset_command WHERE state = ? ORDER BY id")) {
                ps.setString(1, WAITING);
                List<DatasetCommand> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(DatasetCommand.decode(rs.getBytes(1)));
                }
                return out;
            } catch (SQLException e) {
                throw new StoreException("cannot read the waiting dataset commands", e);
            } catch (MessageException e) {
                throw new IllegalStateException("a waiting dataset command is recorded unreadable: " + e.getMessage(), e);
            }
        }
    }

    private void write(DatasetCommand c, String state, DatasetResult r) {
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement(
                    "INSERT OR REPLACE INTO dataset_command (id, command, state, result, updated_at) VALUES (?,?,?,?,?)")) {
                ps.setLong(1, c.id());
                ps.setBytes(2, c.encode());
                ps.setString(3, state);
                ps.setBytes(4, r == null ? null : r.encode());
                ps.setLong(5, clock.millis());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot record dataset command " + c.id(), e);
            }
        }
    }
}
