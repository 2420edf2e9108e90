package io.orchide.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several chunks in one payload: a sequence of records {@code (sha256 32 bytes, u32 big-endian length, bytes)}, no
 * header, nothing after the last record; {@link #FRAME_BYTES} of framing per chunk. Decoding checks every record
 * (whole, length within the maximum, digest of the bytes) before it returns any, so a bad pack is refused whole.
 */
public final class ChunkPack {
    /** Framing per chunk: 32 bytes of digest and a 4-byte length. */
    public static final int FRAME_BYTES = 36;

    private ChunkPack() {
    }

    /** One chunk of a decoded pack: its ref and its bytes (checked against the ref). */
    public record Chunk(ChunkRef ref, byte[] data) {
        public Chunk {
            if (ref.size() != data.length) {
                throw new IllegalArgumentException("chunk " + ref.digest() + " has " + data.length + " bytes, ref says "
                        + ref.size());
            }
        }
    }

    /** Packs these chunks (each hashed here). */
    public static byte[] encode(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            if (c.length < 1 || c.length > ChunkRef.MAX_SIZE) {
                throw new IllegalArgumentException("chunk size must be 1.." + ChunkRef.MAX_SIZE + ", got " + c.length);
            }
            MessageDigest md = Digests.newSha256();
            writeRecord(out, md.digest(c), c, 0, c.length);
        }
        return out.toByteArray();
    }

    /**
     * Packs the {@code wanted} chunks of an image file described by {@code manifest}, reading each at its offset
     * (positional reads, the file is not held in memory) and checking its digest; the order of {@code wanted} is
     * kept. Throws {@link ImageException} when the file no longer matches the manifest.
     */
    public static byte[] fromImage(Path image, ImageManifest manifest, Collection<ChunkRef> wanted) throws IOException {
        Map<String, Long> offsets = new HashMap<>();
        long off = 0;
        for (ChunkRef c : manifest.chunks()) {
            offsets.putIfAbsent(c.digest(), off);
            off += c.size();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            int i = 0;
            for (ChunkRef c : wanted) {
                Long at = offsets.get(c.digest());
                if (at == null) {
                    throw new ImageException("wanted[" + i + "]", c.digest(), "not a chunk of " + manifest.digest());
                }
                ByteBuffer buf = ByteBuffer.allocate((int) c.size());
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at + buf.position()) < 0) {
                        throw new ImageException("wanted[" + i + "]", c.digest(), "image " + image + " is shorter than "
                                + "its manifest");
                    }
                }
                byte[] raw = Digests.newSha256().digest(buf.array());
                if (!Digests.of(raw).equals(c.digest())) {
                    throw new ImageException("wanted[" + i + "]", Digests.of(raw), "image " + image
                            + " no longer matches its manifest at offset " + at + ", expected " + c.digest());
                }
                writeRecord(out, raw, buf.array(), 0, buf.capacity());
                i++;
            }
        }
        return out.toByteArray();
    }

    private static void writeRecord(ByteArrayOutputStream out, byte[] digest, byte[] data, int off, int len) {
        out.write(digest, 0, 32);
        out.write(len >>> 24);
        out.write(len >>> 16);
        out.write(len >>> 8);
        out.write(len);
        out.write(data, off, len);
    }

    /** Decodes and checks a pack, chunks up to {@link ChunkRef#MAX_SIZE}. */
    public static List<Chunk> decode(byte[] pack) throws ImageException {
        return decode(pack, ChunkRef.MAX_SIZE);
    }

    /**
     * Decodes and checks a pack; refuses it whole, naming the chunk index and the offending value, when a record
     * is cut short, declares a length of 0 or over {@code maxChunk}, or its bytes do not hash to its digest.
     */
    public static List<Chunk> decode(byte[] pack, int maxChunk) throws ImageException {
        List<Chunk> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(pack);
        for (int i = 0; b.hasRemaining(); i++) {
            String at = "chunks[" + i + "]";
            if (b.remaining() < FRAME_BYTES) {
                throw new ImageException(at, b.remaining() + " bytes", "truncated record header at byte "
                        + b.position() + " (needs " + FRAME_BYTES + ")");
            }
            byte[] digest = new byte[32];
            b.get(digest);
            long len = Integer.toUnsignedLong(b.getInt());
            if (len < 1 || len > maxChunk) {
                throw new ImageException(at + ".length", Long.toString(len), "must be 1.." + maxChunk);
            }
            if (b.remaining() < len) {
                throw new ImageException(at + ".length", Long.toString(len), "truncated: only " + b.remaining()
                        + " bytes left in the pack");
            }
            byte[] data = new byte[(int) len];
            b.get(data);
            byte[] actual = Digests.newSha256().digest(data);
            if (!Arrays.equals(actual, digest)) {
                throw new ImageException(at + ".digest", Digests.of(digest), "bytes hash to " + Digests.of(actual));
            }
            out.add(new Chunk(new ChunkRef(Digests.of(digest), len), data));
        }
        return List.copyOf(out);
    }
}
