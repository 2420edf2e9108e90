package io.orchide.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The steps of the demo, each shown as the command a user would type and run through the same CLI. */
final class DemoScript {
    private static final Set<String> ENDED = Set.of("Succeeded", "Failed", "Stopped", "CrashLoop");

    private final Path home;
    private final String server;

    DemoScript(Path home, String server) {
        this.home = home;
        this.server = server;
    }

    void run() {
        step("which runtimes work on this machine", "doctor");
        step("deploy the hello unikernel (x86_64, multiboot under qemu)", "apply", "-f",
                rel("examples/apps/hello-unikernel.yaml"));
        step("and the same unikernel built for aarch64", "apply", "-f", rel("examples/apps/hello-aarch64.yaml"));
        boolean container = Files.exists(home.resolve("examples/containers/busybox/rootfs/bin/busybox"));
        if (container) {
            step("and a busybox container on runc, with a 16 MiB memory limit", "apply", "-f",
                    rel("examples/apps/hello-container.yaml"));
        }
        step("the node's workloads", "get", "workloads");
        awaitEnded("hello-arm", 60);
        step("the aarch64 unikernel ran 2 s and exited with status 3, as asked", "describe", "workload", "hello-arm");
        step("its serial console", "logs", "hello-arm");
        if (container) {
            awaitEnded("hello-container", 60);
            step("the container's output, memory limit included", "logs", "hello-container");
        }
        step("restart the x86_64 unikernel: a graceful stop (ACPI power button), then a new run", "restart", "hello");
        step("its console across both runs", "logs", "hello", "--tail", "8");
        step("stop it", "stop", "hello");
        step("the state after stop", "get", "workloads", "-o", "wide");
        for (String n : container ? List.of("hello", "hello-arm", "hello-container") : List.of("hello", "hello-arm")) {
            step(null, "delete", "workload", n);
        }
        System.out.println();
        System.out.println("== done. Next: pipelines, the ground segment and the digital twin with orbits and contacts.");
    }

    private void step(String what, String... args) {
        System.out.println();
        if (what != null) System.out.println("== " + what);
        System.out.println("$ orchide " + String.join(" ", args));
        String[] full = Stream.concat(Stream.of(args), Stream.of("--server", server)).toArray(String[]::new);
        int rc = Main.run(full, System.out, System.err);
        if (rc != 0) throw new CliException("demo step failed: orchide " + String.join(" ", args));
    }

    private void awaitEnded(String name, int seconds) {
        step(null, "wait", "workload", name, "--for", "ended", "--timeout", seconds + "s");
    }

    private String rel(String p) { return home.resolve(p).toString(); }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
