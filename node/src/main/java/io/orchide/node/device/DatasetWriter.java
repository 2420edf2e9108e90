package io.orchide.node.device;

import io.orchide.node.dataset.DatasetDeclaration;
import io.orchide.node.dataset.QuotaExceededException;
import io.orchide.node.storage.StorageFullException;
import io.orchide.node.storage.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Places captures into a dataset directory (for a node, {@code <data-dir>/datasets/<dataset>/}) so that a watcher
 * only ever sees whole files and a crash loses nothing that was reported written: the bytes go to a hidden temporary
 * name in the same directory ({@code .<name>.part}, which data triggers ignore), are fsync'd, renamed to the final
 * name, and the directory is fsync'd. The directory is created when missing.
 *
 * <p>A capture is never overwritten: when the final name already holds the same bytes nothing is written (a retried
 * capture is harmless), when it holds other bytes the write is refused. The check and the rename are two steps, so
 * one writer per file name is assumed (a camera writes its own names, which carry the capture second). A leftover
 * temporary file of a crashed write is replaced by the next write of that name.
 *
 * <p>A directory that holds a dataset's declaration (a {@code kind: Dataset} applied on the node) keeps its quota: a
 * capture that would take it over is refused with the quota, the use and the request, and nothing is written.
 *
 * <p>Optionally the file's modification time is set to the frame's time (before the rename, so the placed file never
 * changes afterwards): the twin, whose clock runs ahead of the wall clock, can then keep files in simulated time.
 * Instances hold no mutable state and may be shared between threads.
 */
public final class DatasetWriter {
    /** Prefix of the temporary name of a file being written. */
    public static final String TEMP_PREFIX = ".";
    /** Suffix of the temporary name of a file being written. */
    public static final String TEMP_SUFFIX = ".part";
    /** The longest file name a dataset accepts, in UTF-8 bytes, so that its temporary name still fits in 255. */
    public static final int MAX_NAME_BYTES = 255 - TEMP_PREFIX.length() - TEMP_SUFFIX.length();

    private final Path directory;
    private final boolean stampFrameTime;
    private final Volume volume;

    /** A writer into {@code directory} that leaves modification times to the filesystem. */
    public DatasetWriter(Path directory) {
        this(directory, false);
    }

    /** As {@link #DatasetWriter(Path, boolean, Volume)}, with no storage budget to keep. */
    public DatasetWriter(Path directory, boolean stampFrameTime) {
        this(directory, stampFrameTime, null);
    }

    /**
     * A writer into {@code directory}; with {@code stampFrameTime} a frame's file gets the frame's time as its
     * modification time; with a {@code volume} (the node's storage) a write that would eat into the node's storage
     * reserve is refused ({@link StorageFullException}), so that a camera never fills the disk the agent needs.
     */
    public DatasetWriter(Path directory, boolean stampFrameTime, Volume volume) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.stampFrameTime = stampFrameTime;
        this.volume = volume;
    }

    /** The dataset directory this writer places files into. */
    public Path directory() {
        return directory;
    }

    /**
     * Places {@code frame} under its name. Returns true when the file was written, false when the same bytes were
     * already there.
     *
     * @throws DeviceInputException when the frame's name is not a plain, visible file name
     * @throws FileAlreadyExistsException when the name already holds other bytes (or is not a regular file)
     * @throws IOException when the directory or the file cannot be written
     */
    public boolean write(Frame frame) throws IOException {
        Objects.requireNonNull(frame, "frame");
        return write(frame.name(), frame.content(), stampFrameTime ? frame.time() : null);
    }

    /**
     * Places {@code content} under {@code name}, with modification time {@code modified} when it is not null. Returns
     * true when the file was written, false when the same bytes were already there.
     *
     * @throws DeviceInputException when {@code name} is not a plain, visible file name
     * @throws FileAlreadyExistsException when the name already holds other bytes (or is not a regular file)
     * @throws QuotaExceededException when the dataset declared in the directory would go over its quota (nothing
     *                                written; {@link DatasetDeclaration})
     * @throws StorageFullException when the node's storage has no room for it above its reserve (nothing written)
     * @throws IOException when the directory or the file cannot be written
     */
    public boolean write(String name, byte[] content, Instant modified) throws IOException {
        checkName(name);
        Objects.requireNonNull(content, "content");
        Files.createDirectories(directory);
        Path target = directory.resolve(name);
        if (alreadyThere(target, content)) return false;
        DatasetDeclaration.checkRoom(directory, content.length);
        if (volume != null) volume.ensureRoom(name, content.length);
        Path temp = directory.resolve(TEMP_PREFIX + name + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) out.write(buffer);
                if (modified != null) Files.setLastModifiedTime(temp, FileTime.from(modified));
                out.force(true);
            }
            if (alreadyThere(target, content)) return false;
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
        syncDirectory(directory);
        return true;
    }

    /**
     * Checks that {@code name} is a plain, visible file name: not blank, no '/' or NUL, not starting with '.', at most
     * {@link #MAX_NAME_BYTES} bytes.
     *
     * @throws DeviceInputException naming the value otherwise
     */
    public static void checkName(String name) {
        if (name == null || name.isBlank()) throw new DeviceInputException("name", name, "must not be blank");
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new DeviceInputException("name", name, "must be a file name, without '/' or NUL");
        }
        if (name.startsWith(".")) {
            throw new DeviceInputException("name", name,
                    "must not start with '.' (hidden names are for files in progress)");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new DeviceInputException("name", name, "must be at most " + MAX_NAME_BYTES + " bytes");
        }
    }

    /** True when {@code target} holds {@code content}; false when it is absent; refuses anything else. */
    private static boolean alreadyThere(Path target, byte[] content) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return false;
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == content.length
                && Arrays.equals(Files.readAllBytes(target), content)) {
            return true;
        }
        throw new FileAlreadyExistsException(target.toString(), null,
                "holds another capture; a capture is never overwritten");
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
