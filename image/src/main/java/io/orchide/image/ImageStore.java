package io.orchide.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's content-addressed store of chunks and images:
 * <pre>
 * dir/chunks/&lt;hex&gt;          one chunk, named by the sha256 of its bytes
 * dir/images/sha256/&lt;hex&gt;   one whole image, built from its chunks and verified
 * dir/tmp/                   files being written; emptied when the store opens
 * </pre>
 * Every file is written under {@code tmp/}, forced to disk, then renamed into place atomically (and the directory
 * forced), and only after its digest was checked: a kill at any instant leaves either no file or a whole, verified
 * one. A chunk file found corrupt when an image is assembled is removed, so {@link #missing} asks for it again.
 */
public final class ImageStore {
    private final Path dir;
    private final Path chunks;
    private final Path images;
    private final Path tmp;
    private final Chunker chunker;

    public ImageStore(Path dir) throws IOException {
        this(dir, Chunker.DEFAULT);
    }

    /** Opens (creating if needed) the store; leftovers of interrupted writes in {@code tmp/} are deleted. */
    public ImageStore(Path dir, Chunker chunker) throws IOException {
        this.dir = dir;
        this.chunks = dir.resolve("chunks");
        this.images = dir.resolve("images").resolve("sha256");
        this.tmp = dir.resolve("tmp");
        this.chunker = chunker;
        Files.createDirectories(chunks);
        Files.createDirectories(images);
        Files.createDirectories(tmp);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(tmp)) {
            for (Path p : left) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** True when the chunk's file is here with the right size (its bytes are checked when an image is assembled). */
    public boolean has(ChunkRef ref) {
        try {
            return Files.size(chunkPath(ref.digest())) == ref.size();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a chunk under the digest of its bytes (a no-op when already held); returns its ref. */
    public ChunkRef put(byte[] data) throws IOException {
        ChunkRef ref = ChunkRef.of(data);
        write(ref, data, 0, data.length);
        syncDir(chunks);
        return ref;
    }

    /** Stores a chunk that must be {@code expected}; a mismatch throws {@link ImageException} and writes nothing. */
    public ChunkRef put(ChunkRef expected, byte[] data) throws IOException {
        ChunkRef actual = ChunkRef.of(data);
        if (!actual.equals(expected)) {
            throw new ImageException("chunk", actual.digest() + " (" + actual.size() + " bytes)",
                    "does not match the expected " + expected.digest() + " (" + expected.size() + " bytes)");
        }
        write(actual, data, 0, data.length);
        syncDir(chunks);
        return actual;
    }

    /** Decodes a {@link ChunkPack} (checked whole before anything is written) and stores its chunks. */
    public List<ChunkRef> putPack(byte[] pack) throws IOException {
        List<ChunkPack.Chunk> decoded = ChunkPack.decode(pack);
        List<ChunkRef> refs = new ArrayList<>(decoded.size());
        for (ChunkPack.Chunk c : decoded) {
            write(c.ref(), c.data(), 0, c.data().length);
            refs.add(c.ref());
        }
        syncDir(chunks);
        return refs;
    }

    /** The bytes of a held chunk, checked against its digest; empty when not held or corrupt (then removed). */
    public Optional<byte[]> chunk(ChunkRef ref) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(chunkPath(ref.digest()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (data.length != ref.size() || !ChunkRef.of(data).equals(ref)) {
            Files.deleteIfExists(chunkPath(ref.digest()));
            return Optional.empty();
        }
        return Optional.of(data);
    }

    /** The chunks of the image not held here, each once, in first-use order. */
    public List<ChunkRef> missing(ImageManifest manifest) {
        Set<ChunkRef> out = new LinkedHashSet<>();
        for (ChunkRef c : manifest.chunks()) {
            if (!out.contains(c) && !has(c)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Builds {@code images/sha256/<hex>} from its chunks, checking every chunk and then the digest of the whole
     * before the atomic rename; returns its path (at once when already here). A missing or corrupt chunk, or a
     * whole that does not hash to the manifest's digest, throws {@link ImageException} naming it and leaves no image
     * file; a corrupt chunk file is removed.
     */
    public Path assemble(ImageManifest manifest) throws IOException {
        Path target = images.resolve(Digests.hex(manifest.digest()));
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = Files.createTempFile(tmp, "image-", ".part");
        try {
            MessageDigest whole = Digests.newSha256();
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                List<ChunkRef> list = manifest.chunks();
                for (int i = 0; i < list.size(); i++) {
                    ChunkRef c = list.get(i);
                    byte[] data;
                    try {
                        data = Files.readAllBytes(chunkPath(c.digest()));
                    } catch (NoSuchFileException e) {
                        throw new ImageException("chunks[" + i + "]", c.digest(), "chunk not held");
                    }
                    String actual = Digests.sha256(data, 0, data.length);
                    if (data.length != c.size() || !actual.equals(c.digest())) {
                        Files.deleteIfExists(chunkPath(c.digest()));
                        throw new ImageException("chunks[" + i + "]", actual + " (" + data.length + " bytes)",
                                "chunk file " + chunkPath(c.digest()) + " is corrupt (removed), expected " + c.digest()
                                        + " (" + c.size() + " bytes)");
                    }
                    whole.update(data);
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
                String actual = Digests.of(whole.digest());
                if (!actual.equals(manifest.digest())) {
                    throw new ImageException("digest", actual, "the assembled image does not hash to "
                            + manifest.digest());
                }
                out.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            syncDir(images);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** The image's file, only when it is here (images appear only whole and verified). */
    public Optional<Path> path(String digest) {
        Path p = images.resolve(Digests.hex(digest));
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Re-hashes the image's file: true only when it is here and still hashes to {@code digest}. */
    public boolean verify(String digest) throws IOException {
        Optional<Path> p = path(digest);
        if (p.isEmpty()) {
            return false;
        }
        MessageDigest md = Digests.newSha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(p.get())) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return Digests.of(md.digest()).equals(digest);
    }

    /** Chunks a local file into the store and assembles it (one read of the file); returns its manifest. */
    public ImageManifest importFile(Path file) throws IOException {
        ImageManifest m;
        try (InputStream in = Files.newInputStream(file)) {
            m = ImageManifest.of(in, chunker, (data, off, len) ->
                    write(ChunkRef.of(data, off, len), data, off, len));
        }
        syncDir(chunks);
        assemble(m);
        return m;
    }

    /** The digests of the chunks held here. */
    public Set<String> heldChunks() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(chunks)) {
            for (Path p : s) {
                String d = Digests.PREFIX + p.getFileName();
                if (Digests.isDigest(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private Path chunkPath(String digest) {
        return chunks.resolve(Digests.hex(digest));
    }

    /** tmp file, force, atomic rename; a chunk already held (right size) is left alone. */
    private void write(ChunkRef ref, byte[] data, int off, int len) throws IOException {
        if (has(ref)) {
            return;
        }
        Path part = Files.createTempFile(tmp, "chunk-", ".part");
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(data, off, len);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            Files.move(part, chunkPath(ref.digest()), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void syncDir(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
