package io.orchide.ground.image;

import io.orchide.model.message.BundleIds;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.image.ChunkPack;
import io.orchide.image.ChunkRef;
import io.orchide.image.Chunker;
import io.orchide.image.DeltaPlan;
import io.orchide.image.Digests;
import io.orchide.image.ImageManifest;
import io.orchide.image.ManifestDelta;
import io.orchide.link.Bundle;
import io.orchide.link.Outgoing;
import io.orchide.model.ManifestException;
import io.orchide.model.message.BundleKind;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ground's image store and uplink planning. An image pushed to ground is cut by content-defined chunking and kept as
 * chunks in the database (so every replica sees it), named by the sha256 of the whole. Ground remembers, per
 * satellite, which chunks it has sent (the link guarantees custody) and which the satellite acknowledged; when a
 * satellite needs an image it gets the image's manifest, encoded against an image it already holds where there is
 * one, and packs of only the chunks it lacks — planned on ground, so the pass needs no round trip.
 */
public final class Images {
    /** Largest pack of chunks in one bundle. */
    static final int PACK_BYTES = 1 << 20;
    static final String SENT = "sent";
    static final String HELD = "held";

    private final GroundDatabase db;
    private final Uplink uplink;
    private final Clock clock;

    public Images(GroundDatabase db, Uplink uplink, Clock clock) {
        this.db = db;
        this.uplink = uplink;
        this.clock = clock;
    }

    /** An image on ground: its digest, size and chunk count. */
    public record StoredImage(String digest, long size, int chunks, java.time.Instant created) {
    }

    /** Reads an image from {@code in}, stores its chunks and manifest, and returns it (the same one if pushed before). */
    public StoredImage push(InputStream in) throws IOException {
        List<ChunkRef> refs = new ArrayList<>();
        List<ChunkPack.Chunk> pending = new ArrayList<>();
        long[] pendingBytes = {0};
        MessageDigest whole = Digests.newSha256();
        long size = Chunker.DEFAULT.split(in, (data, off, len) -> {
            whole.update(data, off, len);
            byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
            ChunkRef ref = ChunkRef.of(copy);
            refs.add(ref);
            pending.add(new ChunkPack.Chunk(ref, copy));
            pendingBytes[0] += len;
            if (pendingBytes[0] >= PACK_BYTES) {
                putChunks(pending);
                pending.clear();
                pendingBytes[0] = 0;
            }
        });
        putChunks(pending);
        ImageManifest m = new ImageManifest(Digests.of(whole.digest()), size, refs);
        long now = clock.millis();
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO image(digest, size, chunks, manifest, created_at) VALUES (?,?,?,?,?) ON CONFLICT (digest) DO NOTHING")) {
                ps.setString(1, m.digest());
                ps.setLong(2, m.size());
                ps.setInt(3, m.chunks().size());
                ps.setBytes(4, m.toJson());
                ps.setLong(5, now);
                ps.executeUpdate();
            }
            return null;
        });
        return find(m.digest()).orElseThrow();
    }

    /** Stores chunks whose digests were computed as they were cut (each hashed once). */
    private void putChunks(List<ChunkPack.Chunk> chunks) {
        if (chunks.isEmpty()) return;
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO image_chunk(digest, size, data) VALUES (?,?,?) ON CONFLICT (digest) DO NOTHING")) {
                for (ChunkPack.Chunk ch : chunks) {
                    ps.setString(1, ch.ref().digest());
                    ps.setInt(2, ch.data().length);
                    ps.setBytes(3, ch.data());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public Optional<StoredImage> find(String digest) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT digest, size, chunks, created_at FROM image WHERE digest=?")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(stored(rs)) : Optional.<StoredImage>empty();
                }
            }
        });
    }

    public List<StoredImage> list() {
        return db.read(c -> {
            List<StoredImage> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT digest, size, chunks, created_at FROM image ORDER BY created_at DESC");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(stored(rs));
            }
            return out;
        });
    }

    private static StoredImage stored(ResultSet rs) throws SQLException {
        return new StoredImage(rs.getString(1), rs.getLong(2), rs.getInt(3), java.time.Instant.ofEpochMilli(rs.getLong(4)));
    }

    /** What one uplink of an image to a satellite costs: bundles queued and bytes of chunks and manifest. */
    public record UplinkPlan(String digest, int chunksSent, long chunkBytes, long manifestBytes, boolean alreadyThere) {
    }

    /**
     * Queues what {@code satellite} needs to hold {@code digest}: nothing if it was sent before, otherwise its manifest
     * and packs of the chunks the satellite neither holds nor has been sent. Bundle ids are derived from the
     * satellite, the image and the pack, so a replay after a crash, or by another replica, queues nothing twice.
     */
    public UplinkPlan uplink(String satellite, String digest) throws ManifestException {
        Optional<ImageManifest> manifest = manifest(digest);
        if (manifest.isEmpty()) throw new IllegalArgumentException("no image " + digest + " on ground");
        ImageManifest m = manifest.get();
        if (sentBefore(satellite, digest)) return new UplinkPlan(digest, 0, 0, 0, true);
        Set<String> known = chunksKnown(satellite);
        DeltaPlan plan = DeltaPlan.of(m, known);
        String hex = Digests.hex(digest);
        byte[] manifestPayload = manifestFor(satellite, m);
        uplink.send(BundleIds.imageManifest(satellite, hex), outgoing(satellite, BundleKind.IMAGE_MANIFEST,
                manifestPayload));
        List<List<ChunkRef>> packs = packs(plan.send());
        for (int i = 0; i < packs.size(); i++) {
            List<ChunkRef> pack = packs.get(i);
            String id = BundleIds.imageChunks(satellite, hex, i);
            byte[] payload = ChunkPack.encode(chunkData(pack));
            uplink.send(id, outgoing(satellite, BundleKind.IMAGE_CHUNKS, payload));
            recordSent(satellite, pack, id); // after the send: a crash in between re-plans, and the id dedups
        }
        long now = clock.millis();
        db.tx(c -> {
            upsert(c, "INSERT INTO sat_image(satellite, digest, state, at) VALUES (?,?,?,?) "
                    + "ON CONFLICT (satellite, digest) DO UPDATE SET state=excluded.state, at=excluded.at",
                    satellite, digest, SENT, now);
            return null;
        });
        return new UplinkPlan(digest, plan.send().size(), plan.bytes(), manifestPayload.length, false);
    }

    /**
     * What {@link #uplink} would send of {@code digest} to {@code satellite} now, in bytes (chunks it lacks and the
     * manifest): 0 when it was sent before or ground has no such image. Sends nothing.
     */
    public long uplinkBytes(String satellite, String digest) throws ManifestException {
        Optional<ImageManifest> m = manifest(digest);
        if (m.isEmpty() || sentBefore(satellite, digest)) return 0;
        return DeltaPlan.of(m.get(), chunksKnown(satellite)).bytes() + manifestFor(satellite, m.get()).length;
    }

    private static Outgoing outgoing(String satellite, BundleKind kind, byte[] payload) {
        return new Outgoing(satellite, kind.wire(), kind.priority(), kind.lifetime(), payload);
    }

    /** The satellite took custody of a bundle: the chunks it carried are held there. */
    public void acknowledged(Bundle b) {
        if (!b.kind().equals(BundleKind.IMAGE_CHUNKS.wire())) return;
        db.tx(c -> {
            upsert(c, "UPDATE sat_chunk SET state=? WHERE satellite=? AND bundle=?", HELD, b.destination(), b.id());
            return null;
        });
    }

    /** A bundle expired before the satellite took it: what it carried is not there; plan it again next time. */
    public void expired(Bundle b) {
        if (!b.kind().equals(BundleKind.IMAGE_CHUNKS.wire()) && !b.kind().equals(BundleKind.IMAGE_MANIFEST.wire())) return;
        forget(b.destination(), b.id());
    }

    private void forget(String satellite, String bundle) {
        db.tx(c -> {
            upsert(c, "DELETE FROM sat_chunk WHERE satellite=? AND bundle=?", satellite, bundle);
            upsert(c, "DELETE FROM sat_image WHERE satellite=? AND state=?", satellite, SENT);
            return null;
        });
    }

    /**
     * Catches up with acknowledgements and expiries whose bookkeeping here was lost: the link records a bundle's
     * custody in its store and then tells {@link #acknowledged}, so a database gone between the two (or a crash)
     * leaves its chunks {@code sent} for good. For each bundle with chunks still {@code sent}, {@code linkState} (the
     * link store's state of that outgoing bundle, or null if it knows none) decides: acknowledged makes them held,
     * expired forgets them as {@link #expired} does. Idempotent; returns how many bundles it settled.
     */
    public int reconcile(java.util.function.Function<String, String> linkState) {
        List<String[]> inFlight = db.read(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT satellite, bundle FROM sat_chunk WHERE state=? ORDER BY satellite, bundle")) {
                ps.setString(1, SENT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new String[]{rs.getString(1), rs.getString(2)});
                }
            }
            return out;
        });
        int settled = 0;
        for (String[] sb : inFlight) {
            String state = linkState.apply(sb[1]);
            if (io.orchide.link.store.LinkStore.ACKED.equals(state)) {
                db.tx(c -> {
                    upsert(c, "UPDATE sat_chunk SET state=? WHERE satellite=? AND bundle=? AND state=?", HELD, sb[0], sb[1], SENT);
                    return null;
                });
                settled++;
            } else if (io.orchide.link.store.LinkStore.EXPIRED.equals(state)) {
                forget(sb[0], sb[1]);
                settled++;
            }
        }
        return settled;
    }

    /**
     * How many chunks ground has sent to a satellite, and how many of those the satellite took custody of. A chunk is
     * counted as sent from its send on, custody taken or not: its row moves from {@code sent} to {@code held} when the
     * satellite acknowledges it, so counting rows in state {@code sent} alone would fall to 0 once a whole image was
     * delivered. Only an expiry (the chunk never arrived; it is planned again) takes a chunk out of the count.
     */
    public record ChunkCounts(long sent, long held) {
        /** Sent and not acknowledged yet. */
        public long inFlight() { return sent - held; }
    }

    public ChunkCounts chunkCounts(String satellite) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state=? THEN 1 ELSE 0 END), 0) FROM sat_chunk WHERE satellite=?")) {
                ps.setString(1, HELD);
                ps.setString(2, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new ChunkCounts(rs.getLong(1), rs.getLong(2));
                }
            }
        });
    }

    /** Chunk digests of {@code satellite} by state ({@code sent}: custody not taken yet, or {@code held}). */
    public List<String> chunks(String satellite, String state) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT digest FROM sat_chunk WHERE satellite=? AND state=? ORDER BY digest")) {
                ps.setString(1, satellite);
                ps.setString(2, state);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private Optional<ImageManifest> manifest(String digest) throws ManifestException {
        byte[] json = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT manifest FROM image WHERE digest=?")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        return json == null ? Optional.empty() : Optional.of(ImageManifest.fromJson(json));
    }

    /**
     * The manifest as the satellite gets it: a delta against the image last sent to it (a new version of an app
     * shares most of its chunk list with the old one), or the whole manifest in binary when it holds none.
     */
    private byte[] manifestFor(String satellite, ImageManifest m) throws ManifestException {
        String base = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT digest FROM sat_image WHERE satellite=? AND digest<>? ORDER BY at DESC LIMIT 1")) {
                ps.setString(1, satellite);
                ps.setString(2, m.digest());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        Optional<ImageManifest> b = base == null ? Optional.empty() : manifest(base);
        return b.isPresent() ? ManifestDelta.encode(m, b.get()) : m.toBinary();
    }

    private boolean sentBefore(String satellite, String digest) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sat_image WHERE satellite=? AND digest=?")) {
                ps.setString(1, satellite);
                ps.setString(2, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private Set<String> chunksKnown(String satellite) {
        Set<String> out = new HashSet<>(chunks(satellite, SENT));
        out.addAll(chunks(satellite, HELD));
        return out;
    }

    private void recordSent(String satellite, List<ChunkRef> pack, String bundle) {
        db.tx(c -> {
            for (ChunkRef r : pack) {
                upsert(c, "INSERT INTO sat_chunk(satellite, digest, state, bundle) VALUES (?,?,?,?) "
                        + "ON CONFLICT (satellite, digest) DO NOTHING", satellite, r.digest(), SENT, bundle);
            }
            return null;
        });
    }

    private List<byte[]> chunkData(List<ChunkRef> refs) {
        return db.read(c -> {
            List<byte[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM image_chunk WHERE digest=?")) {
                for (ChunkRef r : refs) {
                    ps.setString(1, r.digest());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw new SQLException("chunk " + r.digest() + " missing from the image store");
                        out.add(rs.getBytes(1));
                    }
                }
            }
            return out;
        });
    }

    private static List<List<ChunkRef>> packs(List<ChunkRef> send) {
        List<List<ChunkRef>> out = new ArrayList<>();
        List<ChunkRef> cur = new ArrayList<>();
        long bytes = 0;
        for (ChunkRef r : send) {
            if (!cur.isEmpty() && bytes + r.size() + ChunkPack.FRAME_BYTES > PACK_BYTES) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(r);
            bytes += r.size() + ChunkPack.FRAME_BYTES;
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    private static void upsert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    /** The schema this feature adds (a migration entry of ground's store). */
    public static final String MIGRATION = """
            CREATE TABLE image (
              digest VARCHAR(71) PRIMARY KEY,
              size BIGINT NOT NULL,
              chunks INTEGER NOT NULL,
              manifest ${blob} NOT NULL,
              created_at BIGINT NOT NULL
            );
            CREATE TABLE image_chunk (
              digest VARCHAR(71) PRIMARY KEY,
              size INTEGER NOT NULL,
              data ${blob} NOT NULL
            );
            CREATE TABLE sat_chunk (
              satellite VARCHAR(63) NOT NULL,
              digest VARCHAR(71) NOT NULL,
              state VARCHAR(8) NOT NULL,
              bundle VARCHAR(200) NOT NULL,
              PRIMARY KEY (satellite, digest)
            );
            CREATE INDEX sat_chunk_by_bundle ON sat_chunk(satellite, bundle);
            CREATE TABLE sat_image (
              satellite VARCHAR(63) NOT NULL,
              digest VARCHAR(71) NOT NULL,
              state VARCHAR(8) NOT NULL,
              at BIGINT NOT NULL,
              PRIMARY KEY (satellite, digest)
            );
            """;
}
