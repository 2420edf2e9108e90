package io.orchide.bench;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.runtime.supervise.ShimSpawner;

import io.orchide.runtime.supervise.ShimBinary;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The spawn path alone, without the API, the store or the driver's preparation: from the request to start a qemu
 * hello unikernel under a shim to the instant the shim saw qemu exec'd ({@code execat} of the pid file), for a shim
 * the JVM spawns itself and runs with {@code --run-dir} (as the agent did before the spawner; give the binary of such
 * a build) and for the spawner of this build, against {@code ProcessBuilder.start} of the same qemu command line.
 * The three are interleaved in every iteration, so that a machine whose load changes treats them alike.
 */
public final class SpawnPaths {
    private static final int N = Integer.getInteger("bench.n", 60);
    private static final int WARMUP = 10;

    private SpawnPaths() {
    }

    public static void main(String[] a) throws Exception {
        if (a.length != 1) throw new IllegalArgumentException("usage: bench/run spawn OLD-ORCHIDE-SHIM");
        Path oldShim = Path.of(a[0]);
        Path kernel = BenchAgent.HOME.resolve("examples/unikernels/hello/build/hello-x86_64.elf");
        int n = N;
        Path scratch = Files.createTempDirectory("orchide-spawn-");
        Path newShim = ShimBinary.install(scratch.resolve("bin"));
        RuntimeConfig rc = new RuntimeConfig(null, null, null, 0, scratch.resolve("state"));
        Files.createDirectories(rc.stateDir());
        QemuDriver driver = new QemuDriver(rc);
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: p}
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64, accel: tcg}
                  args: ["message=bench", "exit=0"]
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(kernel), Arch.host());
        List<Double> direct = new ArrayList<>(), old = new ArrayList<>(), spawned = new ArrayList<>();
        try (ShimSpawner spawner = new ShimSpawner(newShim)) {
            for (int i = 0; i < n + WARMUP; i++) {
                Path d0 = Files.createDirectories(scratch.resolve("d" + i));
                Launch l = driver.prepare(app, d0);
                Instant t = Instant.now();
                Process p = new ProcessBuilder(l.command()).directory(d0.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
                double dd = ChronoUnit.MICROS.between(t, Instant.now()) / 1000.0;
                p.destroyForcibly().waitFor();

                Path d1 = Files.createDirectories(scratch.resolve("o" + i));
                l = driver.prepare(app, d1);
                List<String> cmd = new ArrayList<>(List.of(oldShim.toString(), "--run-dir", d1.toString(), "--console",
                        d1.resolve("console").toString(), "--log-max", "65536", "--"));
                cmd.addAll(l.command());
                t = Instant.now();
                Process s = new ProcessBuilder(cmd).directory(d1.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(ProcessBuilder.Redirect.appendTo(d1.resolve("console").toFile())).start();
                new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
                double od = execAt(d1, t);
                end(d1);

                Path d2 = Files.createDirectories(scratch.resolve("n" + i));
                l = driver.prepare(app, d2);
                t = Instant.now();
                String line = spawner.spawn(new ShimSpawner.Request(d2, d2.resolve("console"), 65536, Map.of(),
                        l.command()), Duration.ofSeconds(10)).line();
                if (!line.startsWith("ready")) throw new IllegalStateException(line);
                double nd = execAt(d2, t);
                end(d2);
                if (i >= WARMUP) { direct.add(dd); old.add(od); spawned.add(nd); }
            }
        }
        System.out.printf("start of a qemu hello unikernel under a shim, to qemu exec'd, interleaved, %d iterations after %d: median, p90%n", n, WARMUP);
        System.out.printf("direct exec (ProcessBuilder.start of qemu)             %6.2f %6.2f ms%n", pct(direct, .5), pct(direct, .9));
        System.out.printf("the JVM spawns the given orchide-shim, which forks qemu %6.2f %6.2f ms%n", pct(old, .5), pct(old, .9));
        System.out.printf("orchide-shim --spawner forks a shim, which spawns qemu  %6.2f %6.2f ms%n", pct(spawned, .5), pct(spawned, .9));
    }

    /** Ends the monitor and waits (at most 2 s) for its shim to record the exit. */
    private static void end(Path dir) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("pid")))
            if (line.startsWith("monitor=")) ProcessHandle.of(Long.parseLong(line.substring(8))).ifPresent(ProcessHandle::destroyForcibly);
        for (int i = 0; i < 2000 && !Files.exists(dir.resolve("exit")); i++) Thread.sleep(1);
    }

    private static double execAt(Path dir, Instant t0) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("pid")))
            if (line.startsWith("execat=")) {
                long us = Long.parseLong(line.substring(7));
                return (us - (t0.getEpochSecond() * 1_000_000L + t0.getNano() / 1000)) / 1000.0;
            }
        throw new IllegalStateException("no execat");
    }

    private static double pct(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * (s.size() - 1) + 0.5)));
    }
}
