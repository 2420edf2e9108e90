package io.orchide.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Rows the agent answers for before node.db has them: a writer that must not wait for a SQLite commit (the broker
 * answering an allowed request) appends the row to this journal, a memory-mapped file beside node.db, and goes on; a
 * thread of its own then writes the rows of the next {@link #GATHER_NANOS} (at once when a reader {@link #flush}es)
 * to node.db in one synced transaction. A row in the
 * journal is in the kernel's page cache the instant it is appended, so an agent killed at any instant (kill -9, a
 * crash) loses none: the next agent writes to node.db, at its {@link #start}, the rows the last one had not (node.db
 * keeps the sequence number of the last row it took, in the same transaction as the rows, so none is taken twice).
 * Only a power loss or a kernel panic in the 20 ms or so between an append and its transaction can lose rows.
 *
 * <p>The file is a ring of {@link #SIZE} bytes, filled with zeros when made. Each entry: magic, sequence number, the
 * kind's length and bytes, the payload's length and bytes, and a CRC-32C of all of it; entries follow each other,
 * and when the next does not fit the writer waits until node.db has every entry, then starts again at offset 0.
 * Reading from offset 0, the entries that count are those whose check holds and whose numbers increase: the older
 * ones that a new round did not overwrite yet come after a lower number, or fail their check, and end the reading.
 *
 * <p>Each kind has its {@link Applier}, which writes one entry's row inside the journal's transaction; readers of
 * those rows {@link #flush} first, so that they see what was appended before they asked.
 */
public final class RecordJournal implements AutoCloseable {
    /** The file's size: room for thousands of rows between two transactions. */
    public static final int SIZE = 1 << 20;
    private static final int MAGIC = 0x4F524A31; // "ORJ1"
    /** How long the journal's thread gathers rows before it writes them (unless a reader waits). */
    static final long GATHER_NANOS = 20_000_000;
    private static final int FIXED = 4 + 8 + 2 + 4 + 4; // magic, seq, kind length, payload length, crc
    private static final System.Logger LOG = System.getLogger(RecordJournal.class.getName());

    /** Writes one entry's row into node.db, inside the journal's transaction on {@code db}'s connection. */
    @FunctionalInterface
    public interface Applier {
        void apply(byte[] payload) throws SQLException;
    }

    private record Entry(long seq, String kind, byte[] payload) {
    }

    private final Path file;
    private final Database db;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final int size;
    private final Map<String, Applier> appliers = new HashMap<>();
    private List<Entry> pending = new ArrayList<>(); // guarded by this: appended, not yet in node.db
    private final List<Entry> recovered;
    private int position;     // guarded by this: where the next entry goes
    private long appended;    // guarded by this: the last sequence number appended
    private long applied;     // guarded by this: the last sequence number node.db has
    private boolean started, closed; // guarded by this
    private boolean hurry;           // guarded by this: a reader waits for the rows appended so far
    private Thread thread;

    private RecordJournal(Path file, Database db, int size) throws IOException, SQLException {
        this.file = file;
        this.db = db;
        this.size = size;
        boolean made = !java.nio.file.Files.exists(file);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (made || channel.size() != size) {
            // zeros written, not a hole: appends then change no block map, and a stale tail reads as no entry
            channel.truncate(0);
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            for (long at = 0; at < size; at += zeros.capacity()) channel.write(zeros.clear().limit((int) Math.min(zeros.capacity(), size - at)), at);
            channel.force(true);
        }
        this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        this.applied = appliedSeq();
        this.recovered = read();
        long last = recovered.isEmpty() ? 0 : recovered.getLast().seq();
        this.appended = Math.max(applied, last);
    }

    /** Opens (making when missing) the journal {@code file} of node.db, whose rows go in through {@code db}. */
    public static RecordJournal open(Path file, Database db) throws IOException, SQLException {
        return open(file, db, SIZE);
    }

    static RecordJournal open(Path file, Database db, int size) throws IOException, SQLException {
        return new RecordJournal(file, db, size);
    }

    /** Has {@code applier} write the rows of entries of {@code kind}; before {@link #start}. */
    public synchronized RecordJournal register(String kind, Applier applier) {
        if (started) throw new IllegalStateException("the journal has started: register " + kind + " before");
        appliers.put(kind, applier);
        return this;
    }

    /**
     * Writes to node.db what a previous agent appended and node.db does not have, then starts taking appends. The
     * appliers of every kind such entries name must be registered.
     */
    public void start() throws SQLException {
        synchronized (this) {
            if (started) return;
            List<Entry> missing = recovered.stream().filter(e -> e.seq() > applied).toList();
            if (!missing.isEmpty()) {
                applyAll(missing);
                applied = missing.getLast().seq();
                LOG.log(System.Logger.Level.INFO, missing.size() + " row(s) of " + file.getFileName()
                        + " the previous agent had not written to node.db are written now");
            }
            position = 0; // everything read is in node.db now: the next round starts at the beginning
            started = true;
            thread = Thread.ofPlatform().daemon().name("node-db-journal").start(this::run);
        }
    }

    /**
     * Appends one row of {@code kind}; returns once it is in the journal (and so survives the agent's crash), before
     * node.db has it.
     */
    public synchronized void append(String kind, byte[] payload) throws InterruptedException {
        if (!started || closed) throw new IllegalStateException("the journal " + file + " is not open for appends");
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        int length = FIXED + k.length + payload.length;
        if (length > size / 4) throw new IllegalArgumentException("a row of " + length + " bytes is too long for " + file);
        if (position + length + 4 > size) {
            hurry(); // the writer waits: no gathering
            while (applied < appended && !closed) wait(); // node.db has everything: the ring starts again
            position = 0;
        }
        long seq = appended + 1;
        ByteBuffer b = map.duplicate().position(position);
        int start = position;
        b.putInt(MAGIC).putLong(seq).putShort((short) k.length).put(k).putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(map.duplicate().position(start).limit(start + length - 4));
        b.putInt((int) crc.getValue());
        b.putInt(0); // ends the reading here until the next entry overwrites it
        position = start + length;
        appended = seq;
        pending.add(new Entry(seq, kind, payload));
        notifyAll();
    }

    /** Waits until node.db has every row appended before this call. */
    public synchronized void flush() throws InterruptedException {
        long target = appended;
        hurry(); // a reader waits: no gathering
        while (applied < target && thread != null && thread.isAlive()) wait();
    }

    /** Has the journal's thread write what is pending now, without gathering more. */
    private void hurry() {
        if (applied < appended) {
            hurry = true;
            notifyAll();
        }
    }

    /** {@link #flush}, for readers that cannot be interrupted; an interruption is kept for the caller. */
    public void flushQuietly() {
        try {
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            List<Entry> batch;
            synchronized (this) {
                while (pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty()) return; // closed, and nothing left
                // rows of the next few milliseconds share the transaction: one commit, and one wake-up of this thread
                // (on a payload computer's few cores, a thread woken for every row takes them from the answers)
                long until = System.nanoTime() + GATHER_NANOS;
                for (long left = GATHER_NANOS; left > 0 && !closed && !hurry; left = until - System.nanoTime()) {
                    try {
                        wait(left / 1_000_000, (int) (left % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                hurry = false;
                batch = pending;
                pending = new ArrayList<>();
            }
            try {
                applyAll(batch);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot write " + batch.size() + " journalled row(s) to node.db: "
                        + e.getMessage() + "; they stay in " + file + " for the next agent");
                synchronized (this) {
                    if (closed) return; // the file keeps them: the next agent writes them at its start
                    pending.addAll(0, batch);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                continue;
            }
            synchronized (this) {
                applied = batch.getLast().seq();
                notifyAll();
            }
        }
    }

    /** Writes {@code entries}' rows and the last one's number to node.db in one transaction. */
    private void applyAll(List<Entry> entries) throws SQLException {
        synchronized (db.lock()) {
            Transactions.inTransaction(db.connection(), () -> {
                for (Entry e : entries) {
                    Applier a = appliers.get(e.kind());
                    if (a == null) throw new SQLException("no applier for journalled rows of kind " + e.kind());
                    a.apply(e.payload());
                }
                try (PreparedStatement ps = db.connection().prepareStatement(
                        "INSERT INTO journal_applied(journal, seq) VALUES (?, ?) "
                                + "ON CONFLICT(journal) DO UPDATE SET seq = excluded.seq")) {
                    ps.setString(1, file.getFileName().toString());
                    ps.setLong(2, entries.getLast().seq());
                    ps.executeUpdate();
                }
                return null;
            }, "write " + entries.size() + " journalled row(s) to node.db");
        }
    }

    private long appliedSeq() throws SQLException {
        synchronized (db.lock()) {
            try (PreparedStatement ps = db.connection().prepareStatement("SELECT seq FROM journal_applied WHERE journal = ?")) {
                ps.setString(1, file.getFileName().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
    }

    /** The entries from offset 0 whose check holds and whose numbers increase. */
    private List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        ByteBuffer b = map.duplicate();
        int at = 0;
        long last = 0;
        while (at + FIXED <= size) {
            b.position(at);
            if (b.getInt() != MAGIC) break;
            long seq = b.getLong();
            int kl = b.getShort();
            if (kl < 0 || at + FIXED + kl > size) break;
            byte[] k = new byte[kl];
            b.get(k);
            int pl = b.getInt();
            if (pl < 0 || (long) at + FIXED + kl + pl > size) break;
            byte[] payload = new byte[pl];
            b.get(payload);
            int stored = b.getInt();
            CRC32C crc = new CRC32C();
            crc.update(map.duplicate().position(at).limit(at + FIXED + kl + pl - 4));
            if ((int) crc.getValue() != stored || seq <= last) break;
            out.add(new Entry(seq, new String(k, StandardCharsets.UTF_8), payload));
            last = seq;
            at += FIXED + kl + pl;
        }
        return out;
    }

    /** Writes what is left to node.db, then closes the file. */
    @Override
    public void close() throws IOException {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.close();
    }
}
