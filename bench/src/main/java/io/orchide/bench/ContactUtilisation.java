package io.orchide.bench;

import io.orchide.node.layout.NodeLayout;
import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Contact utilisation of the link: a node with a backlog of mixed bundles (telemetry of 1 to 64 KB, products of
 * 100 KB to 2 MB, random priorities, 1.5 times what the contact can carry) and a ground endpoint, two real
 * endpoints in one JVM over TCP on loopback, each on its own SQLite store (WAL, synchronous=FULL). The node's
 * transmit rate is limited to R; the contact opens (the node dials at that instant) and closes T seconds later.
 * Figures: payload bytes the ground took into custody (stored, acknowledged; a bundle cut by the end of the
 * contact resumes from there at the next one) and payload bytes of whole bundles delivered, each over R x T.
 * Arguments: {@code [rate bit/s, default 2000000] [contact seconds, default 30]}.
 */
public final class ContactUtilisation {
    private ContactUtilisation() {
    }

    public static void main(String[] args) throws Exception {
        long bitsPerSecond = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long rate = bitsPerSecond / 8;
        long capacity = rate * seconds;
        Path dir = Files.createTempDirectory("orchide-contact-bench");
        AtomicLong delivered = new AtomicLong(), deliveredBundles = new AtomicLong();
        Deliveries intake = (b, p) -> {
            delivered.addAndGet(p.length);
            deliveredBundles.incrementAndGet();
        };
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        LinkConfig groundCfg = new LinkConfig("ground", "{}", 0, 0, 0, "ground-bench", null, Duration.ofMillis(100), null);
        LinkConfig nodeCfg = new LinkConfig("sat-1", "{}", rate, 0, 0, "sat-bench", null, Duration.ofMillis(100), null);
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(NodeLayout.of(dir).linkDatabase());
             LinkEndpoint ground = LinkEndpoint.open(groundCfg, gs, tcp, intake, LinkEvents.NONE);
             LinkEndpoint node = LinkEndpoint.open(nodeCfg, ns, tcp, (b, p) -> { }, LinkEvents.NONE)) {
            String addr = ground.listen("127.0.0.1:0");
            node.closeContact();
            SplittableRandom rnd = new SplittableRandom(2026);
            long backlog = 0;
            int bundles = 0;
            while (backlog < capacity * 3 / 2) {
                int size = rnd.nextInt(4) == 0 ? 100_000 + rnd.nextInt(1_900_000) : 1_000 + rnd.nextInt(63_000);
                byte[] p = new byte[size];
                rnd.nextBytes(p);
                node.send(new Outgoing("ground", size > 64_000 ? "product.image" : "telemetry", rnd.nextInt(101),
                        Duration.ofHours(6), p));
                backlog += size;
                bundles++;
            }
            node.dial(addr);
            long t0 = System.nanoTime();
            node.openContact();
            Thread.sleep(seconds * 1000L);
            node.closeContact();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            LinkStats before = node.stats("ground");
            Thread.sleep(500);                                     // deliveries of bundles completed in the contact
            long inCustodyPartial = 0;
            for (var h : gs.partials("sat-1")) inCustodyPartial += h.bytes();
            long queuedAfter = node.stats("ground").queuedBytes();
            long custody = (backlog - queuedAfter) + inCustodyPartial;
            System.out.printf("contact %d s at %,d bit/s (R x T = %,d bytes); backlog %d bundles, %,d bytes%n",
                    seconds, bitsPerSecond, capacity, bundles, backlog);
            System.out.printf("frame bytes written by the node in the contact: %,d (%.1f s measured)%n", before.bytesSent(), elapsed);
            System.out.printf("payload taken into custody by ground: %,d bytes = %.1f %% of R x T%n", custody, 100.0 * custody / capacity);
            System.out.printf("  of which whole bundles delivered:  %,d bytes in %d bundles = %.1f %% of R x T%n",
                    delivered.get(), deliveredBundles.get(), 100.0 * delivered.get() / capacity);
            System.out.printf("  and the prefix of the bundle cut at the end (resumes next contact): %,d bytes%n", inCustodyPartial);
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
