package io.orchide.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A character or block device node of the host as the kernel numbers it, read from the file itself
 * ({@code unix:rdev}), for an OCI spec's device list and its device cgroup rule ({@code c 195:0 rwm}).
 */
public record DeviceNode(String path, char type, long major, long minor, int fileMode) {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;

    /**
     * Reads {@code path} (links followed: {@code /dev/dri/by-path/...} names the node it points to).
     *
     * @throws LaunchException naming {@code field} and the path when it is missing or not a device node
     */
    public static DeviceNode of(String path, String field) throws LaunchException {
        Path p = Path.of(path);
        int mode;
        long rdev;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode");
            rdev = (Long) Files.getAttribute(p, "unix:rdev");
        } catch (IOException e) {
            throw new LaunchException(field, path, "the device node cannot be read: " + e.getMessage(), e);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new LaunchException(field, path, "device numbers cannot be read on this file system", e);
        }
        char type = switch (mode & S_IFMT) {
            case S_IFCHR -> 'c';
            case S_IFBLK -> 'b';
            default -> throw new LaunchException(field, path, "is not a character or block device node");
        };
        // glibc's gnu_dev_major/minor: the 64-bit dev_t keeps the high bits of each number apart
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return new DeviceNode(path, type, major, minor, mode & 07777);
    }

    /** Whether the file at {@code path} is there at all (a dangling link is not). */
    public static boolean exists(String path) {
        return Files.exists(Path.of(path), new LinkOption[0]);
    }
}
