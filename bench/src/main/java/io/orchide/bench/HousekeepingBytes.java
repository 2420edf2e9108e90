package io.orchide.bench;

import io.orchide.model.message.Housekeeping;
import io.orchide.node.housekeeping.Housekeeper;
import io.orchide.node.housekeeping.HousekeepingStore;
import io.orchide.node.housekeeping.LogSummaries;
import io.orchide.node.store.Database;
import io.orchide.testkit.MutableClock;
import io.orchide.web.telemetry.Histogram;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.MetricType;
import io.orchide.web.telemetry.Registry;
import io.orchide.web.telemetry.Sample;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Housekeeping bytes a satellite sends a day against Prometheus remote write of the same series at the same
 * resolution, in the same run: a simulated day of one node's metrics (the node's metric families, with the demo's
 * label values: 4 apps, 2 pipelines, 4 triggers, 3 link priorities) goes through the agent's real {@link Housekeeper}
 * (real node.db, one-minute intervals, six scrapes each, a bundle every 15 minutes, a budget that never binds), and
 * the same minute's values of the same series (a gauge's last value, a counter's or a histogram's count and sum as
 * cumulative values) are written as one remote-write request a minute: a protobuf {@code WriteRequest} (encoded here
 * by hand after prometheus/prompb/remote.proto and types.proto), each series with its {@code __name__}, its labels and
 * the target labels {@code job} and {@code instance} a scrape adds, compressed with snappy (snappy-java, block
 * format, as remote write sends it). HTTP framing is counted on neither side; the link's bundle framing neither.
 */
public final class HousekeepingBytes {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Path dir = Files.createTempDirectory("orchide-housekeeping-bench");
        MutableClock clock = new MutableClock(T0);
        Node node = new Node(new Random(16));
        List<byte[]> bundles = new ArrayList<>();
        long remoteWrite = 0, remoteWriteRaw = 0, samples = 0;
        int series = 0;
        try (Database db = Database.open(dir.resolve("node.db"))) {
            Housekeeper h = new Housekeeper("n1", node.registry, new HousekeepingStore(db), new LogSummaries(), bundles::add,
                    clock, Duration.ofMinutes(1));
            h.budget(new io.orchide.model.message.TelemetryBudget(1L << 30, 1));
            clock.advance(Duration.ofDays(1)); // a full bucket: the budget never decides here
            Instant start = clock.instant();
            h.open();
            for (int m = 0; m < days * 1440; m++) {
                for (int k = 0; k < Housekeeper.SAMPLES_PER_INTERVAL; k++) {
                    node.step();
                    h.sample();
                    clock.advance(Duration.ofSeconds(10));
                }
                h.closeInterval();
                if ((m + 1) % Housekeeper.INTERVALS_PER_BUNDLE == 0) h.flush();
                List<MetricFamily> scrape = node.registry.collect();
                byte[] request = writeRequest(scrape, clock.instant().toEpochMilli());
                remoteWriteRaw += request.length;
                remoteWrite += Snappy.compress(request).length;
                samples += count(scrape);
            }
            h.flush();
            series = (int) count(node.registry.collect());
            long hk = bundles.stream().mapToLong(b -> b.length).sum();
            int named = 0;
            for (byte[] b : bundles) named += Housekeeping.decode(b).series().size();
            System.out.printf("series: %d in the housekeeping dictionary, %d in the last remote-write request (gauges and "
                    + "counters; histograms as _count and _sum, no buckets on either side); %d samples sent by remote write%n",
                    named, series, samples);
            System.out.printf("simulated: %d day(s) from %s, 1-minute resolution%n", days, start);
            System.out.printf("housekeeping: %d bundles, %d bytes a day (%.1f bytes per series per minute)%n", bundles.size(),
                    hk / days, hk / (double) days / 1440 / named);
            System.out.printf("remote write: %d requests, %d bytes a day snappy-compressed (%d uncompressed)%n",
                    days * 1440, remoteWrite / days, remoteWriteRaw / days);
            System.out.printf("ratio: housekeeping / remote write = 1/%.1f%n", remoteWrite / (double) hk);
        }
    }

    private static long count(List<MetricFamily> scrape) {
        long n = 0;
        for (MetricFamily f : scrape) for (Sample s : f.samples()) if (!s.name().endsWith("_bucket")) n++;
        return n;
    }

    /** One WriteRequest: every sample of the scrape but histogram buckets (housekeeping sends none either). */
    static byte[] writeRequest(List<MetricFamily> scrape, long timestampMs) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        for (MetricFamily f : scrape) {
            for (Sample s : f.samples()) {
                if (s.name().endsWith("_bucket")) continue;
                ByteArrayOutputStream ts = new ByteArrayOutputStream();
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("__name__", s.name());
                for (int i = 0; i < s.labelNames().size(); i++) labels.put(s.labelNames().get(i), s.labelValues().get(i));
                labels.put("instance", "sat-1:7100");
                labels.put("job", "orchide-node");
                labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    ByteArrayOutputStream l = new ByteArrayOutputStream();
                    string(l, 1, e.getKey());
                    string(l, 2, e.getValue());
                    message(ts, 1, l.toByteArray());
                });
                ByteArrayOutputStream sample = new ByteArrayOutputStream();
                tag(sample, 1, 1);
                long bits = Double.doubleToRawLongBits(s.value());
                for (int i = 0; i < 8; i++) sample.write((int) (bits >>> (8 * i)));
                tag(sample, 2, 0);
                varint(sample, timestampMs);
                message(ts, 2, sample.toByteArray());
                message(req, 1, ts.toByteArray());
            }
        }
        return req.toByteArray();
    }

    private static void tag(ByteArrayOutputStream o, int field, int wire) {
        varint(o, ((long) field << 3) | wire);
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    private static void string(ByteArrayOutputStream o, int field, String s) {
        message(o, field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void message(ByteArrayOutputStream o, int field, byte[] b) {
        tag(o, field, 2);
        varint(o, b.length);
        o.writeBytes(b);
    }

    /** One node's metrics as they move through a day: the node's families with the demo's label values. */
    private static final class Node {
        static final String[] STATES = {"Pending", "Starting", "Running", "Stopping", "Stopped", "Succeeded", "Failed", "BackOff", "CrashLoop"};
        static final String[] APPS = {"hello", "fire-detect", "ocean-color", "compress"};
        static final String[] PIPELINES = {"fire-watch", "ocean-watch"};
        static final String[] TRIGGERS = {"onData", "schedule", "event", "manual"};
        static final String[] RUN_STATES = {"queued", "running", "succeeded", "failed", "cancelled", "expired"};
        static final String[] PRIORITIES = {"90", "75", "50"};

        final Random random;
        final Registry registry = new Registry();
        final Histogram trigger = new Histogram("orchide_trigger_latency_seconds", "t", Histogram.SECONDS, "trigger");
        final Histogram steps = new Histogram("orchide_step_duration_seconds", "s", Histogram.SECONDS, "pipeline", "state");
        long tick, restarts, succeeded, failed, bundlesOut, bytesOut, bytesIn, cpuMs, used = 2_000_000_000L;
        double rss = 70e6, queue;

        Node(Random random) {
            this.random = random;
            registry.register(trigger);
            registry.register(steps);
            registry.register(this::families);
        }

        void step() {
            tick++;
            cpuMs += 20 + random.nextInt(10);
            rss = Math.max(60e6, Math.min(90e6, rss + (random.nextGaussian() * 2e5)));
            if (tick % 30 == 0) {
                for (String t : TRIGGERS) if (random.nextInt(4) == 0) trigger.observe(random.nextDouble() * 0.05, t);
                String p = PIPELINES[random.nextInt(2)];
                boolean ok = random.nextInt(20) != 0;
                steps.observe(5 + random.nextDouble() * 40, p, ok ? "succeeded" : "failed");
                if (ok) succeeded++; else failed++;
                used += random.nextInt(5_000_000);
            }
            if (tick % 720 == 0) restarts++;
            queue = tick % 90 < 10 ? 1 + random.nextInt(3) : 0;
            bundlesOut += random.nextInt(3) == 0 ? 1 : 0;
            bytesOut += random.nextInt(3) == 0 ? 4000 + random.nextInt(60_000) : 0;
            bytesIn += random.nextInt(10) == 0 ? 200 + random.nextInt(2000) : 0;
        }

        List<MetricFamily> families() {
            List<MetricFamily> out = new ArrayList<>();
            out.add(MetricFamily.gauge("orchide_node_info", "i", "version", "arch").add(1, "0.1.0", "x86_64").build());
            MetricFamily.Builder w = MetricFamily.gauge("orchide_workloads", "w", "state");
            for (String s : STATES) w.add(s.equals("Running") ? APPS.length : 0, s);
            out.add(w.build());
            MetricFamily.Builder r = MetricFamily.counter("orchide_workload_restarts_total", "r", "tenant", "app");
            for (String a : APPS) r.add(a.equals("hello") ? restarts : 0, "demo", a);
            out.add(r.build());
            out.add(MetricFamily.gauge("orchide_node_vcpus", "v", "kind").add(4, "capacity").add(1, "free").build());
            out.add(MetricFamily.gauge("orchide_node_memory_bytes", "m", "kind").add(8192 * 1048576.0, "capacity").add(2048 * 1048576.0, "free").build());
            MetricFamily.Builder runs = MetricFamily.gauge("orchide_runs", "r", "state");
            for (String s : RUN_STATES) runs.add(s.equals("succeeded") ? Math.min(200, succeeded) : s.equals("failed") ? Math.min(200, failed) : s.equals("queued") ? queue : 0, s);
            out.add(runs.build());
            MetricFamily.Builder q = MetricFamily.gauge("orchide_run_queue_length", "q", "priority");
            q.add(queue, "50");
            out.add(q.build());
            MetricFamily.Builder attempts = MetricFamily.counter("orchide_step_attempts_total", "a", "pipeline", "state");
            attempts.add(succeeded / 2, PIPELINES[0], "succeeded").add(succeeded - succeeded / 2, PIPELINES[1], "succeeded")
                    .add(failed / 2, PIPELINES[0], "failed").add(failed - failed / 2, PIPELINES[1], "failed");
            out.add(attempts.build());
            MetricFamily.Builder b = MetricFamily.counter("orchide_link_bundles_total", "b", "direction", "priority");
            MetricFamily.Builder pb = MetricFamily.counter("orchide_link_payload_bytes_total", "b", "direction", "priority");
            MetricFamily.Builder bl = MetricFamily.gauge("orchide_link_backlog_bundles", "b", "direction", "priority");
            MetricFamily.Builder bb = MetricFamily.gauge("orchide_link_backlog_bytes", "b", "direction", "priority");
            for (int i = 0; i < PRIORITIES.length; i++) {
                b.add(bundlesOut / (i + 1), "out", PRIORITIES[i]).add(bundlesOut / (i + 3), "in", PRIORITIES[i]);
                pb.add(bytesOut / (i + 1), "out", PRIORITIES[i]).add(bytesIn / (i + 1), "in", PRIORITIES[i]);
                bl.add(tick % 540 < 480 ? (tick % 540) / 60 : 0, "out", PRIORITIES[i]);
                bb.add(tick % 540 < 480 ? (tick % 540) * 1200 : 0, "out", PRIORITIES[i]);
            }
            out.add(b.build());
            out.add(pb.build());
            out.add(bl.build());
            out.add(bb.build());
            out.add(MetricFamily.gauge("orchide_link_partial_incoming_bundles", "p").add(0).build());
            out.add(MetricFamily.counter("orchide_link_bytes_total", "b", "direction").add(bytesOut * 1.05, "out").add(bytesIn * 1.1, "in").build());
            boolean contact = tick % 540 >= 480;
            out.add(MetricFamily.gauge("orchide_link_contact_open", "c").add(contact ? 1 : 0).build());
            out.add(MetricFamily.gauge("orchide_link_connected", "c").add(contact ? 1 : 0).build());
            out.add(MetricFamily.gauge("orchide_link_last_contact_timestamp_seconds", "c").add(1_796_000_000 + (tick - tick % 540 + (contact ? tick % 540 : 0)) * 10).build());
            out.add(MetricFamily.gauge("orchide_storage_bytes", "s", "kind").add(64e9, "capacity").add(used, "used").add(64e9 - used, "free").build());
            out.add(MetricFamily.gauge("orchide_storage_limit_bytes", "l").add(0).build());
            out.add(MetricFamily.gauge("orchide_storage_reserve_bytes", "r").add(1 << 30).build());
            out.add(MetricFamily.gauge("orchide_storage_low_bytes", "l").add(4L << 30).build());
            out.add(MetricFamily.gauge("orchide_storage_level", "l", "level").add(1, "ok").add(0, "low").add(0, "full").build());
            out.add(MetricFamily.counter("orchide_storage_reclaimed_bytes_total", "r").add(0).build());
            out.add(MetricFamily.counter("process_cpu_seconds_total", "c").add(cpuMs / 1000.0).build());
            out.add(MetricFamily.gauge("process_resident_memory_bytes", "r").add(Math.round(rss / 4096) * 4096.0).build());
            out.add(MetricFamily.gauge("process_virtual_memory_bytes", "v").add(3.2e9).build());
            out.add(MetricFamily.gauge("process_open_fds", "f").add(48 + random.nextInt(3)).build());
            out.add(MetricFamily.gauge("process_start_time_seconds", "s").add(1_796_000_000).build());
            return out;
        }
    }
}
