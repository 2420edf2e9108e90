package io.orchide.image;

import java.util.Objects;

/**
 * One chunk of an image: its digest ({@code sha256:<64 lowercase hex>}) and its size in bytes (1 to {@link #MAX_SIZE}).
 * The constructor refuses anything else, so a digest from a {@code ChunkRef} is always safe as a file name.
 */
public record ChunkRef(String digest, long size) {
    /** The largest chunk the protocol accepts, whatever chunker produced it (1 MiB). */
    public static final int MAX_SIZE = 1 << 20;

    public ChunkRef {
        Objects.requireNonNull(digest, "digest");
        if (!Digests.isDigest(digest)) {
            throw new IllegalArgumentException("chunk digest must be sha256:<64 lowercase hex>, got " + digest);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("chunk size must be 1.." + MAX_SIZE + ", got " + size);
        }
    }

    /** The ref of these bytes. */
    public static ChunkRef of(byte[] data, int offset, int length) {
        return new ChunkRef(Digests.sha256(data, offset, length), length);
    }

    public static ChunkRef of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** The 64 hex digits without the {@code sha256:} prefix. */
    public String hex() {
        return Digests.hex(digest);
    }
}
