package io.orchide.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a workload's QMP socket lives: {@code <run dir>/qmp.sock}, or, when that path is longer than a unix socket
 * address allows (107 bytes), {@code /tmp/orchide-qmp/<hash of the run dir>.sock}. Both are derived from the run
 * directory alone, so an agent that restarted finds the socket of a VM it did not start.
 */
public final class QmpSocket {
    /** Longest path a unix socket address holds on Linux (sun_path is 108 bytes with the terminating NUL). */
    public static final int MAX_PATH_BYTES = 107;
    static final String FILE_NAME = "qmp.sock";
    static final String EVENTS_FILE_NAME = "qmp-events.sock";
    static final Path FALLBACK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "orchide-qmp");

    private QmpSocket() {
    }

    /** The socket path for a run directory. */
    public static Path of(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        Path inDir = abs.resolve(FILE_NAME);
        if (inDir.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES) return inDir;
        return FALLBACK_DIR.resolve(hash(abs.toString()) + ".sock");
    }

    /**
     * The VM's second QMP socket, held by the agent for as long as the VM runs: it resumes the VM that qemu starts
     * paused and watches it for hypervisor errors ({@link QmpStart}, {@link HypervisorWatch}). A QMP socket serves one
     * client at a time, so stop and kill keep the first one to themselves.
     */
    public static Path events(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        Path inDir = abs.resolve(EVENTS_FILE_NAME);
        if (inDir.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES) return inDir;
        return FALLBACK_DIR.resolve(hash(abs.toString()) + "-events.sock");
    }

    /** Makes sure the socket's directory exists (private to this user when it is the shared fallback) and no stale socket is left. */
    static Path prepare(Path runDir) throws IOException {
        Path socket = of(runDir);
        Path parent = socket.getParent();
        if (parent.equals(FALLBACK_DIR) && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(events(runDir));
        return socket;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
