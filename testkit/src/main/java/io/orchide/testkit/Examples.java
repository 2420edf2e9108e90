package io.orchide.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Builds the repository's examples with their own Makefiles, once per test JVM (make is incremental). A build that
 * fails fails the test with make's output: a missing compiler is a broken test machine, not a reason to skip.
 */
public final class Examples {
    private static final Set<String> BUILT = new HashSet<>();

    private Examples() {
    }

    /** Runs {@code make -s -C <repo>/<dir>} unless this JVM already did; returns the directory. */
    public static synchronized Path make(String dir) throws IOException, InterruptedException {
        Path path = Repo.resolve(dir);
        if (BUILT.contains(dir)) return path;
        Process p;
        try {
            p = new ProcessBuilder("make", "-s", "-C", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run make to build " + dir + " (./orchide test installs make and gcc): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("make -C " + dir + " did not finish within 300 s:\n" + out);
        }
        if (p.exitValue() != 0) throw new IOException("make -C " + dir + " failed (exit " + p.exitValue() + "):\n" + out);
        BUILT.add(dir);
        return path;
    }

    /** The cloud-cover unikernel of the example pipeline, for x86_64. */
    public static Path cloudcoverKernel() throws IOException, InterruptedException {
        return make("examples/unikernels/cloudcover").resolve("build/cloudcover-x86_64.elf");
    }

    /** The busybox root filesystem of examples/containers/busybox (busybox, its applets and pgmcrop). */
    public static Path busyboxRootfs() throws IOException, InterruptedException {
        return make("examples/containers/busybox").resolve("rootfs");
    }
}
