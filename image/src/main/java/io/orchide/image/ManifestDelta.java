package io.orchide.image;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A target {@link ImageManifest} written as a patch against a base manifest the receiver already holds (the version
 * it runs): runs of the base's chunk list plus the chunks that are new. For one changed region of a 10 MiB image
 * this is about 500 bytes where the whole manifest is 39 KB in {@link ManifestCodec binary} and 93 KB in JSON.
 * <pre>
 *   magic    4 bytes  'O' 'M' 'D' 1     (format, version 1)
 *   base     32 bytes raw digest of the base image the delta applies to
 *   target   32 bytes raw digest of the target image
 *   size     varint   bytes of the target image
 *   ops      varint   number of ops, then each op:
 *     0x00 COPY  index varint, count varint    chunks base[index .. index+count-1], count >= 1
 *     0x01 ADD   count varint, count x (digest 32 bytes raw, size varint 1..{@link ChunkRef#MAX_SIZE})
 * </pre>
 * Varints are unsigned LEB128, minimal. {@link #apply} checks everything before it returns and refuses the delta
 * whole with an {@link ImageException} naming the field ({@code base}, {@code ops[2].index}, {@code ops[5].count},
 * {@code ops[1].chunks[0].size}, {@code size}, {@code trailing}, …) and its value. The target's digest cannot be
 * checked against its chunks here; {@link ImageStore#verify} does that once the image is assembled.
 */
public final class ManifestDelta {
    static final int VERSION = 1;
    static final int COPY = 0;
    static final int ADD = 1;
    /** The most chunks a target may have (16 Mi: 128 GiB at the default 8 KiB average), a bound on what apply allocates. */
    public static final int MAX_CHUNKS = 1 << 24;
    private static final byte[] MAGIC = {'O', 'M', 'D', VERSION};

    private ManifestDelta() {
    }

    /**
     * The delta that turns {@code base} into {@code target}. Greedy: each base chunk is indexed by its first
     * position; walking the target, a chunk found in the base starts a COPY that extends while the following
     * chunks of both lists agree, and every other chunk goes into an ADD (consecutive ones into one ADD).
     */
    public static byte[] encode(ImageManifest target, ImageManifest base) {
        List<ChunkRef> b = base.chunks();
        List<ChunkRef> t = target.chunks();
        Map<String, Integer> first = new HashMap<>(b.size() * 2);
        for (int j = 0; j < b.size(); j++) {
            first.putIfAbsent(b.get(j).digest(), j);
        }
        ByteArrayOutputStream ops = new ByteArrayOutputStream(64);
        int opCount = 0;
        List<ChunkRef> pending = new ArrayList<>();
        int i = 0;
        while (i < t.size()) {
            ChunkRef c = t.get(i);
            Integer j = first.get(c.digest());
            if (j == null || !b.get(j).equals(c)) {
                pending.add(c);
                i++;
                continue;
            }
            if (!pending.isEmpty()) {
                writeAdd(ops, pending);
                opCount++;
                pending.clear();
            }
            int n = 1;
            while (i + n < t.size() && j + n < b.size() && b.get(j + n).equals(t.get(i + n))) {
                n++;
            }
            ops.write(COPY);
            ManifestCodec.writeVarint(ops, j);
            ManifestCodec.writeVarint(ops, n);
            opCount++;
            i += n;
        }
        if (!pending.isEmpty()) {
            writeAdd(ops, pending);
            opCount++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + ops.size());
        out.write(MAGIC, 0, MAGIC.length);
        out.write(Digests.raw(base.digest()), 0, 32);
        out.write(Digests.raw(target.digest()), 0, 32);
        ManifestCodec.writeVarint(out, target.size());
        ManifestCodec.writeVarint(out, opCount);
        out.writeBytes(ops.toByteArray());
        return out.toByteArray();
    }

    private static void writeAdd(ByteArrayOutputStream ops, List<ChunkRef> chunks) {
        ops.write(ADD);
        ManifestCodec.writeVarint(ops, chunks.size());
        for (ChunkRef c : chunks) {
            ManifestCodec.writeChunk(ops, c);
        }
    }

    /** The digest of the base image a delta applies to, so a receiver can find the manifest it needs. */
    public static String baseDigest(byte[] delta) throws ImageException {
        ManifestCodec.Reader r = new ManifestCodec.Reader(delta);
        r.magic(MAGIC, "OMD manifest delta");
        return r.digest("base");
    }

    /** The digest of the target image a delta describes. */
    public static String targetDigest(byte[] delta) throws ImageException {
        ManifestCodec.Reader r = new ManifestCodec.Reader(delta);
        r.magic(MAGIC, "OMD manifest delta");
        r.digest("base");
        return r.digest("target");
    }

    /**
     * The target manifest: {@code delta} applied to {@code base}, which must be the base the delta names. Refuses
     * the delta whole, naming the field and its value, on a bad magic or version, another base, truncation, an op
     * that is neither COPY nor ADD, a COPY outside the base, a count of 0 or over what the bytes left or
     * {@link #MAX_CHUNKS} allow, chunk sizes that do not add up to the target's size, or bytes after the last op.
     */
    public static ImageManifest apply(byte[] delta, ImageManifest base) throws ImageException {
        ManifestCodec.Reader r = new ManifestCodec.Reader(delta);
        r.magic(MAGIC, "OMD manifest delta");
        String baseDigest = r.digest("base");
        if (!baseDigest.equals(base.digest())) {
            throw new ImageException("base", baseDigest, "the delta applies to another image than the base given ("
                    + base.digest() + ")");
        }
        String digest = r.digest("target");
        long size = r.varint("size");
        long opCount = r.varint("ops");
        // Each op takes at least 3 bytes (tag and two one-byte varints, or tag, count and a 33-byte chunk).
        if (opCount > r.remaining() / 3) {
            throw new ImageException("ops", Long.toString(opCount), "more ops than the " + r.remaining()
                    + " bytes left allow (3 or more each)");
        }
        List<ChunkRef> b = base.chunks();
        List<ChunkRef> chunks = new ArrayList<>();
        long sum = 0;
        for (int k = 0; k < opCount; k++) {
            String at = "ops[" + k + "]";
            int tag = r.tag(at + ".op");
            if (tag == COPY) {
                long index = r.varint(at + ".index");
                if (index >= b.size()) {
                    throw new ImageException(at + ".index", Long.toString(index), "outside the base's " + b.size()
                            + " chunks");
                }
                long count = r.varint(at + ".count");
                if (count < 1 || count > b.size() - index) {
                    throw new ImageException(at + ".count", Long.toString(count), "must be 1.." + (b.size() - index)
                            + " (chunks " + index + ".. of a base of " + b.size() + ")");
                }
                if (chunks.size() + count > MAX_CHUNKS) {
                    throw new ImageException(at + ".count", Long.toString(count), "the target would have more than "
                            + MAX_CHUNKS + " chunks");
                }
                for (int j = (int) index; j < index + count; j++) {
                    ChunkRef c = b.get(j);
                    sum += c.size();
                    chunks.add(c);
                }
                if (sum > size) {
                    throw new ImageException(at + ".count", Long.toString(count), "chunk sizes add up to " + sum
                            + ", more than the target's size " + size);
                }
            } else if (tag == ADD) {
                long count = r.varint(at + ".count");
                if (count < 1 || count > r.remaining() / 33) {
                    throw new ImageException(at + ".count", Long.toString(count), "must be 1.." + r.remaining() / 33
                            + " (33 or more bytes a chunk, " + r.remaining() + " bytes left)");
                }
                if (chunks.size() + count > MAX_CHUNKS) {
                    throw new ImageException(at + ".count", Long.toString(count), "the target would have more than "
                            + MAX_CHUNKS + " chunks");
                }
                for (int j = 0; j < count; j++) {
                    ChunkRef c = r.chunk(at + ".chunks[" + j + "]");
                    sum += c.size();
                    if (sum > size) {
                        throw new ImageException(at + ".chunks[" + j + "].size", Long.toString(c.size()),
                                "chunk sizes add up to " + sum + ", more than the target's size " + size);
                    }
                    chunks.add(c);
                }
            } else {
                throw new ImageException(at + ".op", Integer.toString(tag), "must be 0 (COPY) or 1 (ADD)");
            }
        }
        r.end();
        return ManifestCodec.build(digest, size, chunks, sum);
    }
}
