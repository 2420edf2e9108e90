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
    private final Path data;

    DemoScript(Path home, String server, Path data) {
        this.home = home;
        this.server = server;
        this.data = data;
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
        boolean cloudcover = Files.exists(home.resolve("examples/unikernels/cloudcover/build/cloudcover-x86_64.elf"));
        if (container && cloudcover) pipeline();
        System.out.println();
        System.out.println("== done. The same through ground and the link to a satellite: docs/getting-started.md section 8.");
    }

    /** The example pipeline: two scenes arrive, the clear one becomes a product, the cloudy one is dropped. */
    private void pipeline() {
        step("a pipeline: a unikernel measures each camera scene's cloud cover, a container keeps the clear ones",
                "apply", "-f", rel("examples/pipelines/cloud-filter.yaml"));
        step(null, "get", "pipelines");
        Path camera = data.resolve("datasets/camera");
        System.out.println();
        System.out.println("== the camera captures two scenes: 12 % and 60 % cloud");
        scene(camera, "scene-0001.pgm", 12);
        scene(camera, "scene-0002.pgm", 60);
        awaitRun("cloud-filter-000002", 60);
        step(null, "wait", "run", "cloud-filter-000001", "--timeout", "120s");
        step(null, "wait", "run", "cloud-filter-000002", "--timeout", "120s");
        step("both runs, started by the files", "get", "runs", "-o", "wide");
        step("the clear scene: cloud cover 12 %, so compressed and kept", "describe", "run", "cloud-filter-000001");
        step("the cloudy scene, as the unikernel saw it (60 %: dropped)", "logs", "run", "cloud-filter-000002", "--step", "cloud");
        step("the outbox: what waits for the next pass, with its lineage", "get", "products");
        step(null, "delete", "pipeline", "cloud-filter");
    }

    /** Waits until the trigger has created the run (a file fires once the watcher has seen it complete). */
    private void awaitRun(String name, int seconds) {
        ApiClient api = new ApiClient(server);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                api.get("/api/v1/runs/" + name);
                return;
            } catch (CliException notYet) {
                if (System.nanoTime() > end) throw new CliException("the camera's files started no run " + name);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    /** A synthetic P5 scene with {@code percent} % bright pixels, renamed into place as a sensor does. */
    private static void scene(Path dir, String name, int percent) {
        int w = 64;
        int h = 50;
        byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] body = new byte[w * h];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i < body.length * percent / 100 ? 250 : 40);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + name);
            Files.write(tmp, header);
            Files.write(tmp, body, java.nio.file.StandardOpenOption.APPEND);
            Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("$ cp " + name + " " + dir + "/");
        } catch (IOException e) {
            throw new CliException("cannot write " + name + ": " + e.getMessage());
        }
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
