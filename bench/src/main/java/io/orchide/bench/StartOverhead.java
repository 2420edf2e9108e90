package io.orchide.bench;

import io.orchide.node.layout.NodeLayout;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.qemu.QemuDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start overhead: from the API call ({@code POST /api/v1/apply}) to the monitor exec'd, against exec of the same
 * monitor command line directly ({@code ProcessBuilder.start}, which returns once the exec succeeded). The exec
 * instant under the agent is the one the shim records in the run's pid file ({@code execat}, wall-clock
 * microseconds). Runs alternate; the first {@code WARMUP} pairs are reported apart (a cold agent), then the
 * median of {@code N} pairs.
 */
public final class StartOverhead {
    private static final int N = Integer.getInteger("bench.n", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20);

    private StartOverhead() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = BenchAgent.HOME.resolve("examples/unikernels/hello/build/hello-x86_64.elf");
        List<Double> api = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> coldApi = new ArrayList<>();
        List<Double> coldDirect = new ArrayList<>();
        Path scratch = Files.createTempDirectory("orchide-direct-");
        RuntimeConfig rc = new RuntimeConfig(null, null, null, 0, scratch.resolve("state"));
        Files.createDirectories(rc.stateDir());
        QemuDriver driver = new QemuDriver(rc);
        try (BenchAgent a = new BenchAgent("--accel", "tcg")) {
            for (int i = 0; i < WARMUP + N; i++) {
                String name = "s" + i;
                String yaml = manifest(name, kernel);
                Instant t0 = Instant.now();
                var r = a.post("/api/v1/apply", yaml);
                if (r.statusCode() != 201) throw new IllegalStateException(r.body());
                Instant exec = execAt(NodeLayout.of(a.dataDir).workloadAttempt(name, 1).resolve("pid"));
                double viaAgent = micros(t0, exec) / 1000.0;

                App app = Manifests.parseApp(yaml, Arch.host());
                Path dir = scratch.resolve("run" + i);
                Files.createDirectories(dir);
                Launch l = driver.prepare(app, dir);
                ProcessBuilder pb = new ProcessBuilder(l.command()).directory(dir.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
                Instant d0 = Instant.now();
                Process p = pb.start();
                Instant d1 = Instant.now();
                double directly = micros(d0, d1) / 1000.0;
                // the driver's command line holds the guest at its first instruction (-S) until the agent's start
                // check lets it go over QMP: nothing does that here, so the direct monitor is ended instead
                p.destroyForcibly().waitFor();
                (i < WARMUP ? coldApi : api).add(viaAgent);
                (i < WARMUP ? coldDirect : direct).add(directly);
                a.get("/api/v1/workloads/" + name + "/wait?for=ended&timeoutSeconds=30");
                a.delete("/api/v1/workloads/" + name);
            }
        }
        System.out.printf("start of a qemu hello unikernel (TCG): API call -> monitor exec'd, against direct exec%n");
        System.out.printf("%-58s %8s %8s%n", "", "median", "p90");
        row("cold agent, first " + WARMUP + ": via the agent (API, store, shim)", coldApi);
        row("cold agent, first " + WARMUP + ": direct exec", coldDirect);
        row("warm agent, next " + N + ": via the agent (API, store, shim)", api);
        row("warm agent, next " + N + ": direct exec", direct);
        System.out.printf("orchestration overhead (median difference): cold %.2f ms, warm %.2f ms%n",
                pct(coldApi, 0.5) - pct(coldDirect, 0.5), pct(api, 0.5) - pct(direct, 0.5));
    }

    private static void row(String what, List<Double> v) {
        System.out.printf("%-58s %8.2f %8.2f ms%n", what, pct(v, 0.5), pct(v, 0.9));
    }

    private static Instant execAt(Path pidFile) throws java.io.IOException {
        for (String line : Files.readAllLines(pidFile)) {
            if (line.startsWith("execat=")) {
                long us = Long.parseLong(line.substring(7));
                return Instant.EPOCH.plus(us, ChronoUnit.MICROS);
            }
        }
        throw new IllegalStateException("no execat in " + pidFile);
    }

    private static long micros(Instant a, Instant b) { return ChronoUnit.MICROS.between(a, b); }

    private static String manifest(String name, Path kernel) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64, accel: tcg}
                  args: ["message=bench", "exit=0"]
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(name, kernel);
    }

    private static double pct(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * (s.size() - 1) + 0.5)));
    }
}
