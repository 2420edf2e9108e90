package io.orchide.runtime.qemu;

import io.orchide.model.Arch;
import io.orchide.model.Monitor;
import io.orchide.runtime.RuntimeConfig;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds {@code qemu-system-<arch>} and asks it for its version. A configured {@code binaries.qemu} may name a
 * directory holding the qemu binaries or one of them ({@code .../qemu-system-x86_64}); the binary of the other
 * architecture is then looked up beside it. Otherwise PATH is searched.
 */
public final class QemuBinaries {
    private final RuntimeConfig config;

    public QemuBinaries(RuntimeConfig config) {
        this.config = config;
    }

    /** The binary's file name for a guest architecture. */
    public static String name(Arch arch) {
        return "qemu-system-" + arch.wire();
    }

    /** The executable for {@code arch}, if there is one. */
    public Optional<Path> find(Arch arch) {
        String name = name(arch);
        Optional<Path> configured = config.binary(Monitor.QEMU);
        if (configured.isPresent()) {
            Path p = configured.get();
            Path candidate = Files.isDirectory(p) ? p.resolve(name)
                    : p.getFileName().toString().startsWith("qemu-system-") ? p.resolveSibling(name) : p;
            return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
        }
        return onPath(name);
    }

    /** Looks {@code name} up on the PATH of this process. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The first line of {@code <binary> -version}, e.g. "QEMU emulator version 7.2.22 (Debian ...)". */
    public static String version(Path binary) throws IOException {
        Process p = new ProcessBuilder(binary.toString(), "-version").redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(binary + " -version did not answer within 10 s");
            }
            String first = out.lines().findFirst().orElse("").strip();
            if (p.exitValue() != 0 || first.isEmpty()) throw new IOException(binary + " -version failed: " + out.strip());
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
