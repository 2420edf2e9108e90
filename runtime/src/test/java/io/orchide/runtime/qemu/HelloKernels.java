package io.orchide.runtime.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds examples/unikernels/hello once per test JVM (make is incremental) and hands out its kernels. */
public final class HelloKernels {
    private static Path built;

    private HelloKernels() {
    }

    /** The repository root: system property {@code orchide.repo}, else the nearest parent of user.dir with {@code examples/}. */
    public static Path repoRoot() {
        String prop = System.getProperty("orchide.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples"))) return Path.of(prop);
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("examples/unikernels"))) return p;
        throw new IllegalStateException("cannot find the repository root (no examples/ above " + System.getProperty("user.dir") + ")");
    }

    public static synchronized Path buildDir() throws IOException, InterruptedException {
        if (built != null) return built;
        Path dir = repoRoot().resolve("examples/unikernels/hello");
        Process p = new ProcessBuilder("make", "-s", "-C", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IOException("make -C " + dir + " failed:\n" + out);
        built = dir.resolve("build");
        return built;
    }

    public static Path x86_64() throws IOException, InterruptedException {
        return buildDir().resolve("hello-x86_64.elf");
    }

    public static Path aarch64() throws IOException, InterruptedException {
        return buildDir().resolve("hello-aarch64.elf");
    }
}
