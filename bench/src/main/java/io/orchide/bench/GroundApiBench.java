package io.orchide.bench;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.link.Uplink;
import io.orchide.link.Bundle;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;
import io.orchide.link.PeerContact;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductPayload;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.PostgresServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Ground's REST API under load, on its embedded SQLite store and then, in the same run, on Debian's PostgreSQL server
 * (started here, when installed; fsync off, so the figures compare the query paths rather than the disks): a ground with {@code bench.satellites} (1,000)
 * satellites, each registered by a node's contact and with a report of {@code bench.workloads} (10) workloads;
 * {@code bench.clients} (4) concurrent clients (JDK HttpClient, HTTP/1.1, keep-alive) call GET /api/v1/satellites,
 * then GET /api/v1/satellites/{random}/workloads, for {@code bench.seconds} (10) each after {@code bench.warmup} (3) s.
 * Prints requests/s and p50/p99 latency. Every request carries the platform admin's API token (authentication and
 * authorisation included, as in production); in the same run, a second ground on a store of its own with the check
 * bypassed ({@code GroundConfig.withAuthBypassedForTests()}) answers the same workloads calls, in turn with the first,
 * {@code bench.rounds} (3) times, so that the difference is the cost of the check ({@code bench.bypass=false} skips
 * that second ground).
 */
public final class GroundApiBench {
    private static final int SATELLITES = Integer.getInteger("bench.satellites", 1000);
    private static final int WORKLOADS = Integer.getInteger("bench.workloads", 10);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3);
    private static final boolean BYPASS = !"false".equals(System.getProperty("bench.bypass"));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private GroundApiBench() {
    }

    /** The link is not under test: it takes every bundle and knows no peer. */
    static final class NoLink implements Uplink {
        @Override
        public Bundle send(String id, Outgoing o) {
            return new Bundle(id, "ground", o.destination(), o.kind(), o.priority(), Instant.now(), o.lifetime(),
                    o.payload().length, "sha256:" + ProductPayload.sha256(o.payload()));
        }

        @Override public LinkStats stats(String satellite) { return null; }

        @Override public List<LinkStats> peers() { return List.of(); }

        @Override public boolean contactOpen() { return false; }

        @Override public void openContact() { }

        @Override public void closeContact() { }
    }

    public static void main(String[] args) throws Exception {
        Clock clock = Clock.systemUTC();
        run("SQLite, WAL, synchronous=FULL", () -> null, clock);
        if (!PostgresServer.installed()) {
            System.out.println("PostgreSQL: not measured, Debian's postgresql package is not installed (apt-get install -y postgresql)");
            return;
        }
        try (PostgresServer pg = PostgresServer.create()) {
            pg.start();
            run(pg + ", fsync=off, pool of 10 connections", pg::newDatabase, clock);
        }
    }

    /** A new database's URL; null for SQLite in the ground's directory. */
    interface NewDatabase {
        String url() throws Exception;
    }

    /**
     * The whole measurement on one store: a ground whose requests carry the platform admin's token and, unless
     * {@code bench.bypass=false}, a second ground on a database of its own with the check bypassed; the workloads
     * call is measured on each in turn, {@code bench.rounds} (3) times, so that both see the same machine.
     */
    static void run(String store, NewDatabase db, Clock clock) throws Exception {
        Path dir = Files.createTempDirectory("ground-bench");
        Path bypassDir = Files.createTempDirectory("ground-bench-bypass");
        GroundConfig cfg = GroundConfig.builder()
                .dataDir(dir)
                .dbUrl(db.url())
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build()
                .withAuth(new io.orchide.ground.auth.AuthSettings(dir.resolve("admin.token"), false));
        try (GroundServer g = GroundServer.start(cfg, new NoLink());
             GroundServer b = BYPASS ? GroundServer.start(GroundConfig.builder()
                     .dataDir(bypassDir)
                     .dbUrl(db.url())
                     .listen(new InetSocketAddress("127.0.0.1", 0))
                     .clock(clock)
                     .build().withAuthBypassedForTests(), new NoLink()) : null) {
            String adminToken = Files.readString(dir.resolve("admin.token")).strip();
            token = adminToken;
            System.out.println("== " + store);
            long t0 = System.nanoTime();
            populate(g, clock.instant());
            System.out.printf("setup: %d satellites x %d workloads registered and reported in %.1f s%n",
                    SATELLITES, WORKLOADS, (System.nanoTime() - t0) / 1e9);
            if (b != null) populate(b, clock.instant());
            String base = "http://127.0.0.1:" + g.apiAddress().getPort();
            int size = get(HttpClient.newHttpClient(), base + "/api/v1/satellites").length;
            System.out.printf("GET /api/v1/satellites body: %,d bytes%n", size);
            load("GET /api/v1/satellites", i -> base + "/api/v1/satellites");
            for (int round = 1; round <= ROUNDS; round++) {
                token = adminToken;
                load("round " + round + " GET /api/v1/satellites/{sat}/workloads, with a token",
                        i -> base + "/api/v1/satellites/" + sat(i) + "/workloads");
                if (b == null) continue;
                token = null;
                String bypassed = "http://127.0.0.1:" + b.apiAddress().getPort();
                load("round " + round + " GET /api/v1/satellites/{sat}/workloads, check BYPASSED",
                        i -> bypassed + "/api/v1/satellites/" + sat(i) + "/workloads");
            }
        } finally {
            for (Path d : List.of(dir, bypassDir)) {
                try (var files = Files.walk(d)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static String sat(int i) { return String.format("sat-%04d", i); }

    static void populate(GroundServer g, Instant now) throws Exception {
        for (int s = 0; s < SATELLITES; s++) {
            String sat = sat(s);
            g.linkEvents().contactOpened(new PeerContact(sat, "{\"node\": \"n1\", \"arch\": \"x86_64\", \"cores\": 4, "
                    + "\"memoryMib\": 8192, \"monitors\": [\"qemu\", \"runc\"], \"accelerators\": [], \"devices\": [\"camera\"], "
                    + "\"version\": \"0.1.0\"}", 2, 10_000, now));
            List<StatusReport.Workload> ws = new ArrayList<>();
            for (int w = 0; w < WORKLOADS; w++) {
                ws.add(new StatusReport.Workload("app-" + w, w == 0 ? "failed" : "running", now.minusSeconds(600), w % 3,
                        w == 0 ? "exit code 1" : null));
            }
            byte[] p = new StatusReport(now, "n1", ws, List.of(), List.of(), List.of()).encode();
            g.intake().deliver(new Bundle("report." + sat + ".1", sat, "ground", BundleKind.REPORT.wire(), 50, now,
                    Duration.ofDays(1), p.length, "sha256:" + ProductPayload.sha256(p)), p);
        }
    }

    /** The bearer token of the ground under measure; null when its check is bypassed. */
    private static volatile String token;

    static byte[] get(HttpClient c, String url) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<byte[]> r = c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " -> " + r.statusCode());
        return r.body();
    }

    static void load(String what, IntFunction<String> url) throws Exception {
        long warmEnd = System.nanoTime() + WARMUP * 1_000_000_000L;
        long end = warmEnd + SECONDS * 1_000_000_000L;
        List<long[]> lat = new ArrayList<>();
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            long[] mine = new long[4_000_000];
            lat.add(mine);
            int seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                SplittableRandom rnd = new SplittableRandom(seed);
                int n = 0;
                try {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        get(c, url.apply(rnd.nextInt(SATELLITES)));
                        long done = System.nanoTime();
                        if (now >= warmEnd && n < mine.length - 1) mine[n++] = done - now;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                mine[mine.length - 1] = n; // count in the last slot
                count.addAndGet(n);
            }));
        }
        for (Thread th : threads) th.join();
        long total = count.get();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] m : lat) {
            int n = (int) m[m.length - 1];
            System.arraycopy(m, 0, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        System.out.printf("%s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms (%d clients, %d s after %d s warm-up, %,d requests)%n",
                what, total / (double) SECONDS, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                CLIENTS, SECONDS, WARMUP, total);
    }
}
