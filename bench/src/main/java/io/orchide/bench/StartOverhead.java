package io.orchide.bench;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.qemu.QemuDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start overhead: from the API call ({@code POST /api/v1/apply}, answered once the monitor is exec'd) to the
 * monitor running, against exec of the same monitor command line directly ({@code ProcessBuilder.start}, which
 * returns once the exec succeeded). Median of 20 of each in the same run, alternating.
 */
public final class StartOverhead {
    private static final int N = Integer.getInteger("bench.n", 20);

    private StartOverhead() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = BenchAgent.HOME.resolve("examples/unikernels/hello/build/hello-x86_64.elf");
        List<Double> api = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        Path scratch = Files.createTempDirectory("orchide-direct-");
        RuntimeConfig rc = new RuntimeConfig(null, null, null, 0, scratch.resolve("state"));
        Files.createDirectories(rc.stateDir());
        QemuDriver driver = new QemuDriver(rc);
        try (BenchAgent a = new BenchAgent("--accel", "tcg")) {
            for (int i = -3; i < N; i++) {
                String yaml = manifest("s" + (i + 3), kernel);
                long t0 = System.nanoTime();
                var r = a.post("/api/v1/apply", yaml);
                long t1 = System.nanoTime();
                if (r.statusCode() != 201) throw new IllegalStateException(r.body());

                App app = Manifests.parseApp(yaml, Arch.host());
                Path dir = scratch.resolve("run" + (i + 3));
                Files.createDirectories(dir);
                Launch l = driver.prepare(app, dir);
                long d0 = System.nanoTime();
                Process p = new ProcessBuilder(l.command()).directory(dir.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
                long d1 = System.nanoTime();
                p.waitFor();
                if (i >= 0) {
                    api.add((t1 - t0) / 1e6);
                    direct.add((d1 - d0) / 1e6);
                }
                a.get("/api/v1/workloads/s" + (i + 3) + "/wait?for=ended&timeoutSeconds=30");
                a.delete("/api/v1/workloads/s" + (i + 3));
            }
        }
        double ma = median(api);
        double md = median(direct);
        System.out.printf("start of a qemu hello unikernel, %d runs each, TCG%n", N);
        System.out.printf("%-52s %8s %8s%n", "", "median", "p90");
        System.out.printf("%-52s %8.2f %8.2f ms%n", "API apply -> monitor exec'd (agent, shim, store)", ma, pct(api, 0.9));
        System.out.printf("%-52s %8.2f %8.2f ms%n", "direct exec of the same qemu command line", md, pct(direct, 0.9));
        System.out.printf("orchestration overhead (median difference): %.2f ms%n", ma - md);
    }

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

    private static double median(List<Double> v) { return pct(v, 0.5); }

    private static double pct(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * (s.size() - 1) + 0.5)));
    }
}
