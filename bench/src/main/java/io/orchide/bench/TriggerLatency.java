package io.orchide.bench;

import io.orchide.node.layout.NodeLayout;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.App;
import io.orchide.model.Manifests;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.model.codec.Trees;
import io.orchide.runtime.Driver;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.process.BwrapDriver;
import io.orchide.runtime.qemu.QemuDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Trigger latency: from a file closed in a watched dataset (the instant just after it was renamed into place) to the
 * first step's monitor exec'd, at a fixed rate of files, for a process step (bubblewrap) and a qemu step (the hello
 * unikernel, TCG). The exec instant is the one the shim records in the attempt's pid file ({@code execat},
 * wall-clock microseconds). In the same run, the bare monitor start at the same rate: {@code ProcessBuilder.start}
 * of the step's own command line (read back from the attempt's {@code orchide-step.json} and prepared by the same
 * driver), which returns once the exec succeeded. Overhead = trigger latency minus the median bare start, and
 * trigger latency minus the watcher's designed settle for a renamed-in file: none with the inotify helper (the
 * default), 20 ms on the WatchService fallback ({@code -Dbench.settleMs=20}).
 *
 * <p>Per step kind: the pipeline is applied (one onData trigger, one step, concurrency 64) on an agent with 256
 * vCPUs, so runs never wait for capacity; warm-up files (not counted) at the rate, then the bare starts at the rate,
 * then the measured files at the rate. Every run must succeed: failed, missing and unmeasurable runs are counted and
 * printed, and make the command exit 1. The breakdown uses the API's run {@code createdAt} (stored by the trigger),
 * {@code startedAt} (dispatched) and the attempt's {@code startedAt}, which have millisecond precision.
 */
public final class TriggerLatency {
    private static final int RATE = Integer.getInteger("bench.rate", 100);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
    private static final boolean FSYNC = Boolean.getBoolean("bench.fsync");
    /** 0: the agent fires a renamed-in file at once (inotify); 20 on the WatchService fallback (createSettle). */
    private static final double SETTLE_MS = Double.parseDouble(System.getProperty("bench.settleMs", "0"));
    private static final int PAYLOAD = 4096;
    private static final long WAIT_S = Long.getLong("bench.waitSeconds", 600);
    private static final JsonFactory JSON = new JsonFactory();

    private TriggerLatency() {
    }

    /** One kind of step: its template, and how many measured files. */
    private record Kind(String name, String what, int files, String template) {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = BenchAgent.HOME.resolve("examples/unikernels/hello/build/hello-x86_64.elf");
        Map<String, Kind> all = new LinkedHashMap<>();
        all.put("process", new Kind("process", "process step (bwrap, /bin/true)",
                Integer.getInteger("bench.files.process", Integer.getInteger("bench.files", 1000)), """
                        image: /bin/true
                        runtime: {family: process, monitor: bwrap}
                        resources: {vcpus: 1, memoryMiB: 16}
                """));
        all.put("qemu", new Kind("qemu", "qemu step (hello unikernel, x86_64 TCG, exit=0)",
                Integer.getInteger("bench.files.qemu", Integer.getInteger("bench.files", 500)), """
                        image: %s
                        runtime: {family: multiboot, monitor: qemu, arch: x86_64, accel: tcg}
                        args: ["exit=0"]
                        resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(kernel)));
        List<Kind> kinds = new ArrayList<>();
        for (String a : args.length == 0 ? new String[]{"process", "qemu"} : args) {
            Kind k = all.get(a);
            if (k == null) throw new IllegalArgumentException("unknown step kind " + a + "; expected process, qemu");
            kinds.add(k);
        }
        boolean ok = true;
        try (BenchAgent a = new BenchAgent("--vcpus", "256", "--memory-mib", "8192", "--accel", "tcg")) {
            String cmdline = Files.readString(Path.of("/proc/" + a.pid() + "/cmdline")).replace('\0', ' ');
            System.out.println("agent: ./orchide node --vcpus 256 --memory-mib 8192 --accel tcg, "
                    + (cmdline.contains("-XX:AOTCache=") ? "with the AOT class cache"
                    : cmdline.contains("-XX:AOTCacheOutput=") ? "recording the AOT class cache (a training run: "
                    + "start and stop ./orchide node once before measuring)" : "without an AOT class cache"));
            for (Kind k : kinds) {
                StringBuilder out = new StringBuilder();
                ok &= measure(a, k, out);
                System.out.print(out);
                System.out.flush();
            }
        }
        if (!ok) {
            System.out.println("NOT ALL RUNS SUCCEEDED: the figures above leave out the runs listed as failed or missing");
            System.exit(1);
        }
    }

    private static boolean measure(BenchAgent a, Kind k, StringBuilder out) throws Exception {
        String pipeline = "trig-" + k.name();
        String dataset = "drop-" + k.name();
        String yaml = """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: %s}
                spec:
                  concurrency: 64
                  triggers:
                    - onData: {dataset: %s, glob: "*.dat"}
                  steps:
                    - name: first
                      template:
                %s""".formatted(pipeline, dataset, k.template().indent(4));
        var r = a.post("/api/v1/apply", yaml);
        if (r.statusCode() >= 300) throw new IllegalStateException("apply: " + r.statusCode() + " " + r.body());
        Path dir = NodeLayout.of(a.dataDir).dataset(dataset);
        for (int i = 0; i < 100 && !Files.isDirectory(dir); i++) Thread.sleep(10);

        // warm-up files: the agent's code paths compiled, the first run's command line to start directly
        Map<Path, Long> warm = writeFiles(dir, "w", WARMUP);
        List<RunInfo> warmRuns = awaitRuns(a, pipeline, warm.size());
        RunInfo first = warmRuns.stream().filter(x -> x.state.equals("succeeded")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no warm-up run of " + pipeline + " succeeded: "
                        + warmRuns.stream().limit(3).map(x -> x.name + " " + x.state + " " + x.reason).toList()));
        App app = Manifests.fromJson(Files.readString(attemptDir(a, first.name).resolve("orchide-step.json")));

        // bare monitor start, same command line, same rate
        double[] load0 = loadAvg();
        List<Double> bare = bareStarts(app, k.files());
        double[] load1 = loadAvg();

        // measured files
        long cpu0 = a.cpuTicks();
        Map<String, Long> threads0 = a.threadCpuTicks();
        long t0 = System.nanoTime();
        Map<Path, Long> closed = writeFiles(dir, "f", k.files());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double achieved = (k.files() - 1) / Math.max(1e-9, lastMinusFirst(closed) / 1e6);
        List<RunInfo> runs = awaitRuns(a, pipeline, warm.size() + closed.size());
        double[] load2 = loadAvg();
        long cpu1 = a.cpuTicks();
        Map<String, Long> threads1 = a.threadCpuTicks();

        // per measured file: its run, the attempt's execat, the API's instants
        Map<String, RunInfo> byFile = new HashMap<>();
        for (RunInfo x : runs) byFile.put(x.file, x);
        List<Double> latency = new ArrayList<>();
        List<Double> toCreated = new ArrayList<>();
        List<Double> toStarted = new ArrayList<>();
        List<Double> toAttempt = new ArrayList<>();
        List<Double> toExec = new ArrayList<>();
        Map<String, Integer> states = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int missing = 0;
        for (var e : closed.entrySet()) {
            RunInfo x = byFile.get(e.getKey().toString());
            if (x == null) {
                missing++;
                if (problems.size() < 10) problems.add("no run for " + e.getKey().getFileName());
                continue;
            }
            states.merge(x.state, 1, Integer::sum);
            if (!x.state.equals("succeeded")) {
                if (problems.size() < 10) problems.add(x.name + " " + x.state + ": " + x.reason);
                continue;
            }
            Long exec = execAt(attemptDir(a, x.name).resolve("pid"));
            if (exec == null) {
                states.merge("succeeded but no execat", 1, Integer::sum);
                if (problems.size() < 10) problems.add(x.name + ": no execat in its pid file");
                continue;
            }
            long close = e.getValue();
            latency.add((exec - close) / 1000.0);
            JsonNode d = json(a.get("/api/v1/runs/" + x.name).body());
            long created = micros(d.path("createdAt").asText());
            long started = micros(d.path("startedAt").asText());
            long attempt = micros(d.path("stepRuns").path(0).path("startedAt").asText());
            toCreated.add((created - close) / 1000.0);
            toStarted.add((started - created) / 1000.0);
            toAttempt.add((attempt - started) / 1000.0);
            toExec.add((exec - attempt) / 1000.0);
        }
        int warmBad = (int) warmRuns.stream().filter(x -> !x.state.equals("succeeded")).count();
        int warmMissing = warm.size() - warmRuns.size();
        double bareMedian = pct(bare, 0.5);

        out.append(String.format("%n%s: %d files at %d files/s (after %d warm-up files, not counted)%n",
                k.what(), k.files(), RATE, WARMUP));
        out.append(String.format("written in %.1f s (%.1f files/s achieved), %s, rename of a hidden temp file%s%n",
                seconds, achieved, PAYLOAD + " bytes each", FSYNC ? ", fsync before the rename" : ""));
        out.append(String.format("runs: %s; missing %d; warm-up: %d not succeeded, %d missing%n",
                states.isEmpty() ? "none" : states.toString().replaceAll("[{}]", ""), missing, warmBad, warmMissing));
        for (String p : problems) out.append("  ").append(p).append('\n');
        out.append(String.format("load average 1 min: %.2f before the bare starts, %.2f after them, %.2f after the "
                + "runs; agent CPU during the measured files: %.2f s%n", load0[0], load1[0], load2[0],
                (cpu1 - cpu0) / 100.0));
        List<RunInfo> measuredRuns = runs.stream().filter(x -> closed.containsKey(Path.of(x.file))).toList();
        double span = (measuredRuns.stream().map(RunInfo::startedAt).filter(java.util.Objects::nonNull)
                .mapToLong(TriggerLatency::micros).max().orElseThrow() - closed.values().iterator().next()) / 1e6;
        out.append(String.format("runs started per second: %.1f (the measured runs, first file closed to last run "
                + "started); most runs of the pipeline running at once: %d (concurrency 64)%n",
                measuredRuns.size() / span, peakConcurrent(measuredRuns)));
        List<Map.Entry<String, Long>> busiest = new ArrayList<>();
        threads1.forEach((name, t) -> busiest.add(Map.entry(name, t - threads0.getOrDefault(name, 0L))));
        busiest.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        out.append("agent threads by CPU during the measured files (s): ").append(String.join(", ", busiest.stream()
                .limit(6).map(e -> e.getKey() + " " + e.getValue() / 100.0).toList())).append('\n');
        int tenth = Math.max(1, latency.size() / 10);
        if (latency.size() >= 20) {
            out.append(String.format("trend: (a) p50 of the first %d files %.2f ms, of the last %d files %.2f ms%n",
                    tenth, pct(latency.subList(0, tenth), 0.5), tenth,
                    pct(latency.subList(latency.size() - tenth, latency.size()), 0.5)));
        }
        out.append(String.format("%-62s %6s %8s %8s %8s %8s%n", "ms", "count", "p50", "p90", "p99", "max"));
        row(out, "(a) trigger latency: file closed -> monitor exec'd", latency);
        row(out, "(b) bare monitor start: ProcessBuilder.start, same command", bare);
        row(out, "(c) overhead: (a) - median of (b) (" + fmt(bareMedian) + ")", minus(latency, bareMedian));
        if (SETTLE_MS > 0) {
            row(out, "(d) (a) - " + fmt(SETTLE_MS) + " ms designed settle of a renamed-in file",
                    minus(latency, SETTLE_MS));
        }
        out.append("breakdown of (a), from the API's instants (millisecond precision):\n");
        row(out, "  file closed -> run stored (watcher, settle, ledger)", toCreated);
        row(out, "  run stored -> run started (commit, wake, dispatch)", toStarted);
        row(out, "  run started -> step attempt started", toAttempt);
        row(out, "  attempt started -> monitor exec'd (prepare, shim)", toExec);
        return missing == 0 && warmBad == 0 && warmMissing == 0 && latency.size() == closed.size();
    }

    /** One run of the pipeline, from the runs list. */
    private record RunInfo(String name, String state, String reason, String file, String startedAt, String endedAt) {
    }

    /** The most runs of the list that were started and not yet ended at one instant (from the API's instants). */
    private static int peakConcurrent(List<RunInfo> runs) {
        List<long[]> edges = new ArrayList<>();
        for (RunInfo r : runs) {
            if (r.startedAt == null || r.endedAt == null) continue;
            edges.add(new long[]{micros(r.startedAt), 1});
            edges.add(new long[]{micros(r.endedAt), -1});
        }
        edges.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : edges) peak = Math.max(peak, now += (int) e[1]);
        return peak;
    }

    private static String text(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    /** Waits until {@code n} runs of {@code pipeline} exist and have all ended (or the wait times out). */
    private static List<RunInfo> awaitRuns(BenchAgent a, String pipeline, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT_S * 1_000_000_000L;
        while (true) {
            JsonNode items = json(a.get("/api/v1/runs?limit=100000").body()).path("items");
            List<RunInfo> runs = new ArrayList<>();
            boolean allEnded = true;
            for (JsonNode it : items) {
                if (!it.path("pipeline").asText().equals(pipeline)) continue;
                runs.add(new RunInfo(it.path("name").asText(), it.path("state").asText(), text(it.path("reason")),
                        it.path("trigger").path("detail").asText(), text(it.path("startedAt")),
                        text(it.path("endedAt"))));
                allEnded &= !it.path("endedAt").isNull() && !it.path("endedAt").isMissingNode();
            }
            if ((runs.size() >= n && allEnded) || System.nanoTime() > deadline) return runs;
            Thread.sleep(250);
        }
    }

    /**
     * Writes {@code n} files at {@link #RATE}: each to a hidden temporary name, closed, then renamed into place.
     * Returns each file's close instant (just after the rename, wall-clock microseconds), in order.
     */
    private static Map<Path, Long> writeFiles(Path dir, String prefix, int n) throws IOException {
        Map<Path, Long> closed = new LinkedHashMap<>();
        byte[] payload = new byte[PAYLOAD];
        java.util.Arrays.fill(payload, (byte) 'x');
        long period = 1_000_000_000L / RATE;
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            parkUntil(start + i * period);
            Path tmp = dir.resolve("." + prefix + i + ".tmp");
            Path file = dir.resolve(String.format("%s%06d.dat", prefix, i));
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(payload));
                if (FSYNC) ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            closed.put(file, nowMicros());
        }
        return closed;
    }

    /** {@code n} direct starts of the step's command line at {@link #RATE}; each until {@code start} returned. */
    private static List<Double> bareStarts(App app, int n) throws Exception {
        Path scratch = Files.createTempDirectory("orchide-bare-");
        RuntimeConfig rc = new RuntimeConfig(null, null, null, 0, scratch.resolve("state"));
        Files.createDirectories(rc.stateDir());
        Driver driver = app.spec().runtime().monitor() == Monitor.QEMU ? new QemuDriver(rc) : new BwrapDriver(rc);
        for (Mount m : app.spec().outputs()) if (m.path() != null) Files.createDirectories(Path.of(m.path()));
        for (Mount m : app.spec().inputs()) if (m.path() != null) Files.createDirectories(Path.of(m.path()));
        List<Double> took = new ArrayList<>();
        List<Process> started = new ArrayList<>();
        int failed = 0;
        long period = 1_000_000_000L / RATE;
        long begin = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            Path dir = scratch.resolve("run" + i);
            Files.createDirectories(dir);
            Launch l = driver.prepare(app, dir);
            ProcessBuilder pb = new ProcessBuilder(l.command()).directory(dir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
            pb.environment().putAll(l.env());
            parkUntil(begin + i * period);
            long d0 = System.nanoTime();
            Process p = pb.start();
            took.add((System.nanoTime() - d0) / 1e6);
            started.add(p);
        }
        for (Process p : started) if (p.waitFor() != 0) failed++;
        if (failed > 0) System.err.println("bare starts: " + failed + " of " + n + " monitors exited non-zero");
        try (var s = Files.walk(scratch)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return took;
    }

    private static Path attemptDir(BenchAgent a, String run) {
        return NodeLayout.of(a.dataDir).stepAttempt(run, "first", null, 1);
    }

    private static Long execAt(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) return null;
        for (String line : Files.readAllLines(pidFile)) {
            if (line.startsWith("execat=")) return Long.parseLong(line.substring(7).trim());
        }
        return null;
    }

    private static void parkUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    private static long lastMinusFirst(Map<Path, Long> closed) {
        long first = closed.values().iterator().next();
        long last = first;
        for (long v : closed.values()) last = v;
        return last - first;
    }

    private static double[] loadAvg() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[1])};
    }

    private static JsonNode json(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            return Trees.read(p);
        }
    }

    private static List<Double> minus(List<Double> v, double d) {
        return v.stream().map(x -> x - d).toList();
    }

    private static void row(StringBuilder out, String what, List<Double> v) {
        if (v.isEmpty()) {
            out.append(String.format("%-62s %6d%n", what, 0));
            return;
        }
        out.append(String.format("%-62s %6d %8.2f %8.2f %8.2f %8.2f%n", what, v.size(), pct(v, 0.5), pct(v, 0.9),
                pct(v, 0.99), Collections.max(v)));
    }

    private static String fmt(double ms) {
        return String.format("%.2f ms", ms);
    }

    private static double pct(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * (s.size() - 1) + 0.5)));
    }
}
