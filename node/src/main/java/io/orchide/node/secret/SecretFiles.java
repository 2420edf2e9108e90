package io.orchide.node.secret;

import io.orchide.model.Mount;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a workload's secret files live while it runs: on a tmpfs of the host ({@code base}, by default under
 * {@code /dev/shm}), in a directory per run directory (mode 0700; each file 0400), bound read-only into the workload
 * at the mount path its App names. Never on a disk: a base that is not a tmpfs (or ramfs) refuses the start, naming
 * the path and its filesystem. The files of a run directory go when its attempt is cleaned up and before it is
 * prepared again.
 */
public final class SecretFiles {
    /** The filesystems whose files live in memory only. */
    static final Set<String> IN_MEMORY = Set.of("tmpfs", "ramfs");

    private final Path base;

    public SecretFiles(Path base) {
        this.base = base;
    }

    /** Under {@code /dev/shm}, per user: the tmpfs Linux offers every process. */
    public static SecretFiles inSharedMemory() {
        return new SecretFiles(Path.of("/dev/shm", "orchide-secrets-" + System.getProperty("user.name", "agent")));
    }

    /** One Secret's keys and values, to go under {@code mountPath} in the workload. */
    public record SecretDir(String field, String mountPath, Map<String, String> data) {
    }

    /**
     * Writes {@code mounts} for the run in {@code runDir}, replacing what an earlier attempt there left, and returns
     * the read-only mounts that lend them to the workload.
     */
    public List<Mount> write(Path runDir, List<SecretDir> mounts) throws LaunchException {
        forget(runDir);
        if (mounts.isEmpty()) return List.of();
        Path dir = dirOf(runDir);
        String field = mounts.getFirst().field();
        try {
            Files.createDirectories(base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
            FileStore store = Files.getFileStore(base);
            if (!IN_MEMORY.contains(store.type())) {
                throw new LaunchException(field, base.toString(), "secret files go only on a tmpfs, and " + base
                        + " is on a " + store.type() + " filesystem (" + store.name() + ")");
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            List<Mount> out = new ArrayList<>();
            for (int i = 0; i < mounts.size(); i++) {
                SecretDir m = mounts.get(i);
                Path d = Files.createDirectory(dir.resolve(Integer.toString(i)),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
                for (var e : m.data().entrySet()) {
                    String key = e.getKey();
                    if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals(".."))
                        throw new LaunchException(m.field(), key, "a Secret key that cannot be a file name");
                    // made with its final mode before any byte is written: no moment when another user may read it
                    Path f = d.resolve(key);
                    Files.write(Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                            e.getValue().getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
                }
                out.add(new Mount("orchide-secret-" + i, d.toString(), m.mountPath(), 0));
            }
            return out;
        } catch (IOException e) {
            forget(runDir);
            throw new LaunchException(field, base.toString(), "cannot write secret files on " + base + ": " + e.getMessage(), e);
        } catch (LaunchException e) {
            forget(runDir);
            throw e;
        }
    }

    /** Removes the secret files of the run in {@code runDir}, if any. */
    public void forget(Path runDir) {
        Path dir = dirOf(runDir);
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            List<Path> all = s.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (Files.isDirectory(p)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            }
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove secret files " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory of a run's files: named by a digest of the run directory, so two nodes on one host never meet. */
    Path dirOf(Path runDir) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(runDir.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return base.resolve(HexFormat.of().formatHex(d, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
