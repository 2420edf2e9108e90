package io.orchide.cli.it;

import io.orchide.testkit.Examples;
import io.orchide.testkit.HelloKernels;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the tests run (the hello unikernel, the busybox rootfs, built by the testkit) and manifests for them. */
final class Fixtures {
    private Fixtures() {
    }

    static Path helloKernel(String arch) throws IOException, InterruptedException {
        return HelloKernels.forArch(arch);
    }

    static Path busyboxRootfs() throws IOException, InterruptedException {
        return Examples.busyboxRootfs();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A hello unikernel App manifest written to {@code dir}; returns its path. */
    static Path hello(Path dir, String name, String arch, String args, String restart) throws Exception {
        String yaml = """
                apiVersion: orchide.io/v1
                kind: App
                metadata:
                  name: %s
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: %s}
                  args: [%s]
                  resources: {vcpus: 1, memoryMiB: 32}
                  restart: %s
                """.formatted(name, helloKernel(arch), arch, args, restart);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** A busybox container App manifest running {@code script} under sh. */
    static Path container(Path dir, String name, String script, int memoryMiB) throws Exception {
        String yaml = """
                apiVersion: orchide.io/v1
                kind: App
                metadata:
                  name: %s
                spec:
                  image: %s
                  runtime: {family: container, monitor: runc}
                  args: ["/bin/sh", "-c", "%s"]
                  resources: {vcpus: 1, memoryMiB: %d}
                """.formatted(name, busyboxRootfs(), script, memoryMiB);
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /**
     * The processes whose command line mentions {@code needle} (e.g. a workload's directory), or that work in a
     * directory under it: a shim the agent's spawner forked carries the spawner's arguments, and is known by its
     * run directory.
     */
    static List<ProcessHandle> processesMentioning(String needle) {
        try (Stream<ProcessHandle> s = ProcessHandle.allProcesses()) {
            return s.filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(needle)).orElse(false)
                    || p.info().commandLine().map(c -> c.contains(needle)).orElse(false)
                    || worksUnder(p.pid(), needle)).toList();
        }
    }

    private static boolean worksUnder(long pid, String dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).startsWith(Path.of(dir));
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to read
        }
    }
}
