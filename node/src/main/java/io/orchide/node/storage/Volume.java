package io.orchide.node.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The node's storage: its data directory under a {@link StorageBudget}. With a limit, the used space is the sum of
 * the sizes of the files under the data directory (their apparent sizes, so a sparse file counts whole) and the
 * free space is what is left under the limit, never more than the filesystem has; without one, both come from the
 * filesystem. Shared by the agent and by the devices that write into its datasets, so both see the same space.
 */
public final class Volume {
    private final Path root;
    private final StorageBudget budget;

    public Volume(Path root, StorageBudget budget) {
        this.root = Objects.requireNonNull(root, "root");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    public Path root() {
        return root;
    }

    public StorageBudget budget() {
        return budget;
    }

    /** Measures the space now. */
    public Space measure() throws IOException {
        FileStore store = Files.getFileStore(existing(root));
        long usable = store.getUsableSpace();
        if (budget.limitBytes() == 0) {
            long total = store.getTotalSpace();
            return new Space(total, Math.max(0, total - usable), usable);
        }
        long used = usedBytes(root);
        long free = Math.max(0, Math.min(budget.limitBytes() - used, usable));
        return new Space(budget.limitBytes(), used, free);
    }

    /** The level of the space now. */
    public StorageLevel level() throws IOException {
        return budget.level(measure().freeBytes());
    }

    /**
     * Checks that {@code bytes} more can be written and still leave the reserve free.
     *
     * @throws StorageFullException naming {@code what} when they cannot
     */
    public void ensureRoom(String what, long bytes) throws IOException {
        long free = measure().freeBytes();
        if (free - bytes < budget.reserveBytes()) {
            throw new StorageFullException(what, bytes, free, budget.reserveBytes());
        }
    }

    /**
     * The sum of the apparent sizes of the regular files under {@code dir}, a file with several links under it
     * counted once (files vanishing meanwhile skipped).
     */
    public static long usedBytes(Path dir) throws IOException {
        return sum(dir, false);
    }

    /**
     * What deleting {@code dir} would free: the sizes of the regular files under it that have no other link (a
     * file staged into a workspace as a link to a dataset's file frees nothing).
     */
    public static long freeableBytes(Path dir) throws IOException {
        return sum(dir, true);
    }

    private static long sum(Path dir, boolean onlyUnlinked) throws IOException {
        if (!Files.exists(dir)) return 0;
        long[] sum = {0};
        Set<Object> seen = new HashSet<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (!a.isRegularFile()) return FileVisitResult.CONTINUE;
                Object key = a.fileKey();
                if (key != null && !seen.add(key)) return FileVisitResult.CONTINUE;
                if (onlyUnlinked && links(file) > 1) return FileVisitResult.CONTINUE;
                sum[0] += a.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed while walking, or unreadable: not ours to count
            }
        });
        return sum[0];
    }

    private static int links(Path file) {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    private static Path existing(Path p) {
        Path x = p.toAbsolutePath();
        while (x != null && !Files.exists(x)) x = x.getParent();
        return x == null ? p.toAbsolutePath().getRoot() : x;
    }
}
