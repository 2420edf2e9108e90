package io.orchide.bench;

import io.orchide.link.Deliveries;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;
import io.orchide.link.PeerTrust;
import io.orchide.link.secure.HandshakeCost;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.secure.TlsConvergenceLayer;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.Acceptor;
import io.orchide.link.transport.Channel;
import io.orchide.link.transport.ConvergenceLayer;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.node.layout.NodeLayout;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Contact utilisation of the link: a node with a backlog of mixed bundles (telemetry of 1 to 64 KB, products of
 * 100 KB to 2 MB, random priorities, 1.5 times what the contact can carry) and a ground endpoint, two real
 * endpoints in one JVM over TCP on loopback, each on its own SQLite store (WAL, synchronous=FULL). The node's
 * transmit rate is limited to R; the contact opens (the node dials at that instant) and closes T seconds later.
 * Figures: payload bytes the ground took into custody (stored, acknowledged; a bundle cut by the end of the
 * contact resumes from there at the next one) and payload bytes of whole bundles delivered, each over R x T; the bytes
 * the node wrote on the wire (TCP payload: with TLS, its records and handshake). Run twice in one process, the plain
 * link then the secure one (mutual TLS 1.3 with Ed25519 keys, as shipped), with the TLS handshake's bytes and time.
 * Arguments: {@code [rate bit/s, default 2000000] [contact seconds, default 30]}.
 */
public final class ContactUtilisation {
    private ContactUtilisation() {
    }

    public static void main(String[] args) throws Exception {
        long bitsPerSecond = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        run(false, bitsPerSecond, seconds);
        run(true, bitsPerSecond, seconds);
    }

    private static void run(boolean secure, long bitsPerSecond, int seconds) throws Exception {
        long rate = bitsPerSecond / 8;
        long capacity = rate * seconds;
        Path dir = Files.createTempDirectory("orchide-contact-bench");
        AtomicLong delivered = new AtomicLong(), deliveredBundles = new AtomicLong(), wire = new AtomicLong();
        Deliveries intake = (b, p) -> {
            delivered.addAndGet(p.length);
            deliveredBundles.incrementAndGet();
        };
        List<HandshakeCost> handshakes = new CopyOnWriteArrayList<>();
        ConvergenceLayer tcp = new TcpConvergenceLayer();
        ConvergenceLayer nodeLayer = new Counting(tcp, wire), groundLayer = tcp;
        PeerTrust trust = PeerTrust.ANY_PEER_UNAUTHENTICATED;
        if (secure) {
            KeyPair g = KeyFiles.generate(), n = KeyFiles.generate();
            groundLayer = new TlsConvergenceLayer(tcp, LinkIdentity.of(g, "ground"), PinnedKeyTrust.anyKey());
            nodeLayer = new TlsConvergenceLayer(nodeLayer, LinkIdentity.of(n, "sat-1"),
                    PinnedKeyTrust.pinned(Set.of(g.getPublic()), "ground's key"), handshakes::add);
            trust = (peer, remote, key) -> n.getPublic().equals(key) ? null : "unknown key";
        }
        LinkConfig groundCfg = new LinkConfig("ground", "{}", 0, 0, 0, "ground-bench", null, Duration.ofMillis(100), null);
        LinkConfig nodeCfg = new LinkConfig("sat-1", "{}", rate, 0, 0, "sat-bench", null, Duration.ofMillis(100), null);
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(NodeLayout.of(dir).linkDatabase());
             LinkEndpoint ground = LinkEndpoint.open(groundCfg, gs, groundLayer, intake, LinkEvents.NONE, trust);
             LinkEndpoint node = LinkEndpoint.open(nodeCfg, ns, nodeLayer, (b, p) -> { }, LinkEvents.NONE)) {
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
            long onWire = wire.get();
            Thread.sleep(500);                                     // deliveries of bundles completed in the contact
            long inCustodyPartial = 0;
            for (var h : gs.partials("sat-1")) inCustodyPartial += h.bytes();
            long queuedAfter = node.stats("ground").queuedBytes();
            long custody = (backlog - queuedAfter) + inCustodyPartial;
            System.out.printf("%s link: contact %d s at %,d bit/s (R x T = %,d bytes); backlog %d bundles, %,d bytes%n",
                    secure ? "secure (mutual TLS 1.3, Ed25519)" : "plain (TCP)", seconds, bitsPerSecond, capacity, bundles, backlog);
            System.out.printf("  frame bytes written by the node in the contact: %,d; on the wire: %,d (%.1f s measured)%n",
                    before.bytesSent(), onWire, elapsed);
            System.out.printf("  payload taken into custody by ground: %,d bytes = %.1f %% of R x T, %.1f %% of the bytes on the wire%n",
                    custody, 100.0 * custody / capacity, 100.0 * custody / onWire);
            System.out.printf("    of which whole bundles delivered:  %,d bytes in %d bundles = %.1f %% of R x T%n",
                    delivered.get(), deliveredBundles.get(), 100.0 * delivered.get() / capacity);
            System.out.printf("    and the prefix of the bundle cut at the end (resumes next contact): %,d bytes%n", inCustodyPartial);
            for (HandshakeCost h : handshakes) {
                double pass = 256_000 / 8.0 * 600;
                System.out.printf("  TLS handshake: %,d bytes sent, %,d received, %d ms; %.4f %% of a 10-minute pass at 256 kbit/s%n",
                        h.bytesSent(), h.bytesReceived(), h.time().toMillis(), 100.0 * h.bytes() / pass);
            }
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Counts the bytes the node writes on the TCP connection, beneath any TLS. */
    private record Counting(ConvergenceLayer inner, AtomicLong written) implements ConvergenceLayer {
        @Override
        public Channel connect(String address, Duration timeout) throws IOException {
            Channel c = inner.connect(address, timeout);
            OutputStream out = new FilterOutputStream(c.output()) {
                @Override
                public void write(int b) throws IOException {
                    written.incrementAndGet();
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    written.addAndGet(len);
                    out.write(b, off, len);
                }
            };
            return new Channel() {
                @Override public InputStream input() { return c.input(); }

                @Override public OutputStream output() { return out; }

                @Override public String remote() { return c.remote(); }

                @Override public void close() throws IOException { c.close(); }
            };
        }

        @Override
        public Acceptor bind(String address) throws IOException {
            return inner.bind(address);
        }
    }
}
