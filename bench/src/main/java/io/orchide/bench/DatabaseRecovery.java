package io.orchide.bench;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductPayload;
import io.orchide.testkit.PostgresServer;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * How long a satellite's link stays stranded after ground's PostgreSQL comes back: a ground (its own link endpoint, on
 * Debian's PostgreSQL server started here) and a node's link endpoint (SQLite, the agent's link settings: 1 s between
 * dials) in session with it. Each try stops the server in fast mode (as an operator's restart), waits
 * {@code bench.outageMs} (3000) plus a random 0 to 1,000 ms (so that the restart falls anywhere in the node's dial
 * cycle, not always at the same point of it) with a product queued on the node meanwhile, starts the server again
 * and times from
 * the server accepting connections ({@code pg_ctl start -w} returned) to the product stored on ground: the first
 * bundle moving again. {@code bench.tries} (10) tries; prints each, the median and the max.
 */
public final class DatabaseRecovery {
    private static final int TRIES = Integer.getInteger("bench.tries", 10);
    private static final long OUTAGE_MS = Long.getLong("bench.outageMs", 3000);

    private DatabaseRecovery() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("db-recovery-bench");
        Clock clock = Clock.systemUTC();
        try (PostgresServer pg = PostgresServer.create()) {
            pg.start();
            System.out.println("server: " + pg);
            try (GroundServer g = GroundServer.start(GroundConfig.builder()
                    .dataDir(dir.resolve("ground"))
                    .dbUrl(pg.newDatabase())
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .linkListen("127.0.0.1:0")
                    .clock(clock)
                    .build());
                 LinkStore nodeStore = LinkStore.sqlite(dir.resolve("node/link.db"));
                 LinkEndpoint node = LinkEndpoint.open(new LinkConfig("sat-1", "{\"node\": \"n1\", \"arch\": \"x86_64\", \"cores\": 4, "
                         + "\"memoryMib\": 8192, \"monitors\": [\"qemu\"], \"version\": \"0.1.0\"}",
                         0, 0, 8L * 1024 * 1024, null, null, null, clock), nodeStore, new TcpConvergenceLayer(),
                         (b, p) -> { }, LinkEvents.NONE)) {
                node.openContact();
                node.dial(g.linkAddress());
                sendProduct(node, 0, clock.instant());
                waitForProducts(g, 1, 60_000);
                long[] ms = new long[TRIES];
                java.util.Random jitter = new java.util.Random(42);
                for (int i = 1; i <= TRIES; i++) {
                    pg.stop();
                    sendProduct(node, i, clock.instant());
                    Thread.sleep(OUTAGE_MS + jitter.nextInt(1000));
                    pg.start();
                    long t0 = System.nanoTime();
                    waitForProducts(g, i + 1, 120_000);
                    ms[i - 1] = (System.nanoTime() - t0) / 1_000_000;
                    System.out.printf("try %2d: %,d ms from PostgreSQL back to the product stored on ground%n", i, ms[i - 1]);
                }
                long[] sorted = ms.clone();
                Arrays.sort(sorted);
                double median = TRIES % 2 == 1 ? sorted[TRIES / 2] : (sorted[TRIES / 2 - 1] + sorted[TRIES / 2]) / 2.0;
                System.out.printf("PostgreSQL back -> first bundle stored: median %.0f ms, max %d ms over %d tries "
                        + "(outages of %d to %d ms, node redials every 1 s)%n", median, sorted[TRIES - 1], TRIES, OUTAGE_MS, OUTAGE_MS + 1000);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void sendProduct(LinkEndpoint node, int i, Instant now) {
        byte[] content = ("{\"try\": " + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] payload = new ProductPayload(new ProductPayload.Header(i + 1L, "run-" + i, "count", null, "count.json",
                content.length, ProductPayload.sha256(content), 80, now, now.plus(Duration.ofDays(7)), "{}"), content).encode();
        node.send("product.sat-1.n1." + i, new Outgoing("ground", BundleKind.PRODUCT.wire(), 40, Duration.ofDays(1), payload));
    }

    /** Polls ground's product table every 5 ms (the figure's resolution) until it holds {@code n} products. */
    static void waitForProducts(GroundServer g, int n, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                if (g.products().list("sat-1", null, 1000).size() >= n) return;
            } catch (RuntimeException e) {
                // the database is not answering yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("ground did not store " + n + " products within " + timeoutMs + " ms");
    }
}
