package io.orchide.image;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to send so a receiver can assemble an image: the chunks of {@code manifest} whose digests it does not hold,
 * each once even when the image repeats it, in first-use order, and their payload bytes. Computed on ground from
 * what it knows the receiver holds, so the pass needs no round trip.
 */
public record DeltaPlan(ImageManifest manifest, List<ChunkRef> send, long bytes) {
    public DeltaPlan {
        send = List.copyOf(send);
    }

    /** The plan for a receiver holding the chunks whose digests are in {@code held}. */
    public static DeltaPlan of(ImageManifest manifest, Collection<String> held) {
        Set<String> have = held instanceof Set<String> s ? s : new HashSet<>(held);
        Set<String> planned = new HashSet<>();
        List<ChunkRef> send = new ArrayList<>();
        long bytes = 0;
        for (ChunkRef c : manifest.chunks()) {
            if (!have.contains(c.digest()) && planned.add(c.digest())) {
                send.add(c);
                bytes += c.size();
            }
        }
        return new DeltaPlan(manifest, send, bytes);
    }

    /** The plan for a receiver that holds every chunk of {@code base} (the version it runs). */
    public static DeltaPlan against(ImageManifest manifest, ImageManifest base) {
        Set<String> held = new HashSet<>();
        for (ChunkRef c : base.chunks()) {
            held.add(c.digest());
        }
        return of(manifest, held);
    }

    public int chunkCount() {
        return send.size();
    }

    /** Bytes on the link in {@link ChunkPack}s: the payload plus {@link ChunkPack#FRAME_BYTES} per chunk. */
    public long packBytes() {
        return bytes + (long) ChunkPack.FRAME_BYTES * send.size();
    }

    /** {@link #packBytes()} plus the manifest's compact JSON: all the receiver needs to assemble the image. */
    public long wireBytes() {
        return packBytes() + manifest.toJson().length;
    }
}
