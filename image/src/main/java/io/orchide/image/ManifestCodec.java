package io.orchide.image;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of a whole {@link ImageManifest}, for when the receiver holds no base to patch
 * ({@link ManifestDelta} otherwise): raw digests and unsigned LEB128 varints instead of hex JSON, 34 or 35 bytes a
 * chunk (about 42 % of the JSON).
 * <pre>
 *   magic   4 bytes  'O' 'M' 'F' 1      (format, version 1)
 *   digest  32 bytes raw sha256 of the image
 *   size    varint   bytes of the image
 *   count   varint   number of chunks
 *   count x (digest 32 bytes raw, size varint 1..{@link ChunkRef#MAX_SIZE})
 * </pre>
 * Varints are minimal (no redundant {@code 0x80} continuation bytes), so a manifest has exactly one encoding.
 * Decoding refuses the whole input, with an {@link ImageException} naming the field ({@code magic}, {@code size},
 * {@code count}, {@code chunks[3].size}, …) and its value, when anything is wrong: bad magic or version, truncation,
 * sizes out of range or not adding up to {@code size}, bytes after the last chunk.
 */
public final class ManifestCodec {
    static final int VERSION = 1;
    private static final byte[] MAGIC = {'O', 'M', 'F', VERSION};

    private ManifestCodec() {
    }

    /** The binary form of {@code m}. */
    public static byte[] encode(ImageManifest m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 + m.chunks().size() * 35);
        out.write(MAGIC, 0, MAGIC.length);
        out.write(Digests.raw(m.digest()), 0, 32);
        writeVarint(out, m.size());
        writeVarint(out, m.chunks().size());
        for (ChunkRef c : m.chunks()) {
            writeChunk(out, c);
        }
        return out.toByteArray();
    }

    /** Reads and checks the binary form; refuses it whole, naming the field, when anything is wrong. */
    public static ImageManifest decode(byte[] bin) throws ImageException {
        Reader r = new Reader(bin);
        r.magic(MAGIC, "OMF");
        String digest = r.digest("digest");
        long size = r.varint("size");
        long count = r.varint("count");
        // Each chunk takes at least 33 bytes here and holds at least one byte of the image.
        if (count > r.remaining() / 33 || count > size) {
            throw new ImageException("count", Long.toString(count), "more chunks than the " + r.remaining()
                    + " bytes left (33 or more each) or the " + size + " bytes of the image allow");
        }
        List<ChunkRef> chunks = new ArrayList<>((int) count);
        long sum = 0;
        for (int i = 0; i < count; i++) {
            ChunkRef c = r.chunk("chunks[" + i + "]");
            sum += c.size();
            if (sum > size) {
                throw new ImageException("chunks[" + i + "].size", Long.toString(c.size()), "chunk sizes add up to "
                        + sum + " so far, more than the image's size " + size);
            }
            chunks.add(c);
        }
        r.end();
        return build(digest, size, chunks, sum);
    }

    // ---- shared with ManifestDelta --------------------------------------------------------------------------------

    /** Builds the manifest, reporting what its constructor would refuse as an {@link ImageException}. */
    static ImageManifest build(String digest, long size, List<ChunkRef> chunks, long sum) throws ImageException {
        if (sum != size) {
            throw new ImageException("size", Long.toString(size), "chunk sizes add up to " + sum);
        }
        if (size == 0 && !digest.equals(ImageManifest.EMPTY_DIGEST)) {
            throw new ImageException("digest", digest, "an empty image has digest " + ImageManifest.EMPTY_DIGEST);
        }
        try {
            return new ImageManifest(digest, size, chunks);
        } catch (IllegalArgumentException e) {
            throw new ImageException("manifest", null, e.getMessage());
        }
    }

    static void writeChunk(ByteArrayOutputStream out, ChunkRef c) {
        out.write(Digests.raw(c.digest()), 0, 32);
        writeVarint(out, c.size());
    }

    /** Unsigned LEB128, minimal. */
    static void writeVarint(ByteArrayOutputStream out, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must be >= 0, got " + v);
        }
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** A checked cursor over an encoded manifest or delta: every read names its field when it fails. */
    static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int position() {
            return pos;
        }

        int remaining() {
            return b.length - pos;
        }

        void magic(byte[] magic, String name) throws ImageException {
            if (b.length < magic.length) {
                throw new ImageException("magic", b.length + " bytes", "truncated: not a " + name + " (needs "
                        + magic.length + " bytes of header)");
            }
            for (int i = 0; i < magic.length - 1; i++) {
                if (b[i] != magic[i]) {
                    throw new ImageException("magic", hex(b, 0, magic.length - 1), "not a " + name + " (expected "
                            + hex(magic, 0, magic.length - 1) + ")");
                }
            }
            int version = b[magic.length - 1] & 0xFF;
            if (version != magic[magic.length - 1]) {
                throw new ImageException("version", Integer.toString(version), "unsupported " + name
                        + " version (this reader knows " + magic[magic.length - 1] + ")");
            }
            pos = magic.length;
        }

        String digest(String field) throws ImageException {
            if (remaining() < 32) {
                throw new ImageException(field, remaining() + " bytes", "truncated at byte " + pos
                        + ": a digest needs 32");
            }
            byte[] raw = new byte[32];
            System.arraycopy(b, pos, raw, 0, 32);
            pos += 32;
            return Digests.of(raw);
        }

        int tag(String field) throws ImageException {
            if (remaining() < 1) {
                throw new ImageException(field, null, "truncated at byte " + pos);
            }
            return b[pos++] & 0xFF;
        }

        /** A minimal unsigned LEB128 of at most 63 bits. */
        long varint(String field) throws ImageException {
            int start = pos;
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= b.length) {
                    throw new ImageException(field, null, "truncated varint at byte " + start);
                }
                int x = b[pos++] & 0xFF;
                if (shift == 63 && x > 0) {
                    throw new ImageException(field, hex(b, start, pos - start), "varint over 63 bits at byte " + start);
                }
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    if (x == 0 && shift > 0) {
                        throw new ImageException(field, hex(b, start, pos - start), "varint not minimal at byte "
                                + start);
                    }
                    return v;
                }
            }
        }

        ChunkRef chunk(String field) throws ImageException {
            String d = digest(field + ".digest");
            long n = varint(field + ".size");
            if (n < 1 || n > ChunkRef.MAX_SIZE) {
                throw new ImageException(field + ".size", Long.toString(n), "chunk size must be 1.."
                        + ChunkRef.MAX_SIZE);
            }
            return new ChunkRef(d, n);
        }

        void end() throws ImageException {
            if (pos != b.length) {
                throw new ImageException("trailing", (b.length - pos) + " bytes", "unexpected bytes after the end at"
                        + " byte " + pos);
            }
        }

        private static String hex(byte[] a, int off, int len) {
            StringBuilder s = new StringBuilder("0x");
            for (int i = off; i < off + len && i < a.length; i++) {
                s.append(String.format("%02x", a[i] & 0xFF));
            }
            return s.toString();
        }
    }
}
