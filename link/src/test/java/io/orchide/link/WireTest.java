package io.orchide.link;

import io.orchide.testkit.MutableClock;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.link.wire.Frame;
import io.orchide.link.wire.FrameCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The frame codec, and what an endpoint does with malformed, truncated, oversized, replayed or expired input. */
class WireTest {
    @TempDir
    Path dir;

    static final FrameCodec CODEC = new FrameCodec(LinkConfig.DEFAULT_MAX_BUNDLE);

    static Bundle bundle(String id, String src, String dst, byte[] payload) {
        return new Bundle(id, src, dst, "product.image", 40, Instant.now(), Duration.ofHours(1), payload.length, LinkStore.sha256(payload));
    }

    @Test
    void everyFrameRoundTrips() throws Exception {
        Bundle b = bundle("b-1", "sat-1", "ground", new byte[]{1, 2, 3});
        b = new Bundle(b.id(), b.source(), b.destination(), b.kind(), b.priority(), Instant.ofEpochMilli(b.created().toEpochMilli()),
                b.lifetime(), b.size(), b.checksum());
        List<Frame> frames = List.of(new Frame.Hello(1, "sat-1", "{\"arch\":\"x86_64\"}"),
                new Frame.State(3, 4096, List.of(new Frame.Held("b-1", 2), new Frame.Held("b-2", 0))),
                new Frame.BundleStart(b, 2), new Frame.Ack("b-1", 3, true), new Frame.Reject("b-1", true, "expired"),
                new Frame.Reject("", false, "lease"));
        for (Frame f : frames) assertThat(CODEC.decode(CODEC.encode(f))).isEqualTo(f);
        Frame.Segment s = (Frame.Segment) CODEC.decode(CODEC.encode(new Frame.Segment("b-1", 1, new byte[]{2, 3})));
        assertThat(s.id()).isEqualTo("b-1");
        assertThat(s.offset()).isEqualTo(1);
        assertThat(s.data()).containsExactly(2, 3);
    }

    @Test
    void aKeepaliveIsAnAckOfNothingThatEveryVersionReadsAsANoOp() throws Exception {
        byte[] k = CODEC.encode(new Frame.Keepalive());
        assertThat(CODEC.decode(k)).isEqualTo(new Frame.Keepalive());
        // the very bytes of an ACK holding 0 bytes of bundle 'keepalive': what a peer from before keepalives reads
        assertThat(k).isEqualTo(CODEC.encode(new Frame.Ack(FrameCodec.KEEPALIVE_ID, 0, false)));
        assertThat(k[0]).isEqualTo((byte) FrameCodec.ACK);
        assertThat(k).hasSize(31);
        // an ACK of the same id that holds bytes stays an ACK
        assertThat(CODEC.decode(CODEC.encode(new Frame.Ack(FrameCodec.KEEPALIVE_ID, 5, false))))
                .isEqualTo(new Frame.Ack(FrameCodec.KEEPALIVE_ID, 5, false));
    }

    static void refused(Supplier<byte[]> frame, String field, Object value) {
        assertThatThrownBy(() -> CODEC.decode(frame.get())).isInstanceOfSatisfying(LinkException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            if (value != null) assertThat(String.valueOf(e.value())).isEqualTo(String.valueOf(value));
            assertThat(e.getMessage()).startsWith(field);
        });
    }

    static byte[] bundleFrame(Bundle b, long offset) { return CODEC.encode(new Frame.BundleStart(b, offset)); }

    @Test
    void malformedFramesAreRefusedNamingFieldAndValue() {
        byte[] payload = {1, 2, 3};
        Bundle ok = bundle("b-1", "sat-1", "ground", payload);
        refused(() -> { byte[] f = CODEC.encode(new Frame.Ack("b-1", 1, false)); f[f.length - 1] ^= 1; return f; }, "frame.crc", null);
        refused(() -> { byte[] f = CODEC.encode(new Frame.Ack("b-1", 1, false)); f[8] ^= 1; return f; }, "frame.crc", null);
        refused(() -> Arrays.copyOf(bundleFrame(ok, 0), 40), "frame", "truncated");
        refused(() -> Arrays.copyOf(bundleFrame(ok, 0), 3), "frame", "truncated");
        refused(() -> ByteBuffer.allocate(9).put((byte) FrameCodec.SEGMENT).putInt(Integer.MAX_VALUE).array(), "frame.length", Integer.MAX_VALUE);
        refused(() -> ByteBuffer.allocate(9).put((byte) 42).putInt(0).array(), "frame.type", 42);
        refused(() -> { byte[] f = CODEC.encode(new Frame.Ack("b-1", 1, false)); return Arrays.copyOf(f, f.length + 2); }, "frame", 2);
        refused(() -> CODEC.encode(new Frame.Hello(9, "sat-1", "{}")), "hello.version", 9);
        refused(() -> CODEC.encode(new Frame.Hello(1, "sat 1/..", "{}")), "hello.name", "sat 1/..");
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "product.image", 101, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.priority", 101);
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "product.image", -1, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.priority", -1);
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "Product Image", 1, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.kind", "Product Image");
        refused(() -> bundleFrame(new Bundle("b-1", "s;1", "ground", "x", 1, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.source", "s;1");
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "", "x", 1, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.destination", "");
        refused(() -> bundleFrame(new Bundle("b/1", "sat-1", "ground", "x", 1, ok.created(), ok.lifetime(), 3, ok.checksum()), 0), "bundle.id", "b/1");
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "x", 1, ok.created(), Duration.ZERO, 3, ok.checksum()), 0), "bundle.lifetime", 0);
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "x", 1, ok.created(), ok.lifetime(), LinkConfig.DEFAULT_MAX_BUNDLE + 1, ok.checksum()), 0), "bundle.size", LinkConfig.DEFAULT_MAX_BUNDLE + 1);
        refused(() -> bundleFrame(new Bundle("b-1", "sat-1", "ground", "x", 1, ok.created(), ok.lifetime(), 3, "md5:abc"), 0), "bundle.checksum", "md5:abc");
        refused(() -> bundleFrame(ok, 4), "bundle.offset", 4);
        refused(() -> CODEC.encode(new Frame.Segment("b-1", -5, new byte[1])), "segment.offset", -5);
        refused(() -> CODEC.encode(new Frame.Ack("b-1", -1, true)), "ack.held", -1);
        refused(() -> CODEC.encode(new Frame.State(0, 0, List.of(new Frame.Held("b-1", -2)))), "state.resume[0].bytes", -2);
        // a segment whose length field disagrees with the frame
        refused(() -> {
            byte[] f = CODEC.encode(new Frame.Segment("b-1", 0, new byte[10]));
            ByteBuffer bb = ByteBuffer.wrap(f);
            int lenPos = 5 + 4 + 3 + 8;
            bb.putInt(lenPos, 11);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(f, 0, f.length - 4);
            bb.putInt(f.length - 4, (int) crc.getValue());
            return f;
        }, "segment.length", 11);
        assertThatThrownBy(() -> CODEC.encode(new Frame.Segment("b-1", 0, new byte[CODEC.maxFrame() + 1])))
                .isInstanceOf(LinkException.class).hasMessageStartingWith("frame.length");
    }

    /** A ground endpoint with a recorder; the test talks to it through raw sockets. */
    private record Ground(LinkStore store, LinkEndpoint ep, Recorder rec, String address) implements AutoCloseable {
        @Override
        public void close() {
            ep.close();
            store.close();
        }
    }

    private Ground ground() {
        LinkStore s = LinkStore.sqlite(dir.resolve("ground.db"));
        Recorder r = new Recorder();
        LinkEndpoint ep = LinkEndpoint.open(TransferTest.cfg("ground", 0), s, new TcpConvergenceLayer(), r, r);
        return new Ground(s, ep, r, ep.listen("127.0.0.1:0"));
    }

    @Test
    void badInputOnASessionIsRefusedWithAReasonAndChangesNothing() throws Exception {
        byte[] payload = new byte[5000];
        new java.util.Random(3).nextBytes(payload);
        try (Ground g = ground()) {
            // a valid partial first, so that "nothing changed" has something to compare
            Bundle held = bundle("held-1", "sat-1", "ground", payload);
            try (RawPeer p = new RawPeer(g.address(), "sat-1")) {
                p.send(new Frame.BundleStart(held, 0));
                p.send(new Frame.Segment(held.id(), 0, Arrays.copyOf(payload, 1000)));
                assertThat(p.read()).isEqualTo(new Frame.Ack(held.id(), 1000, false));
            }
            String before = g.store().fingerprint();
            Bundle other = bundle("b-2", "sat-1", "ground", payload);
            record Case(String field, byte[][] frames) { }
            List<Case> cases = List.of(
                    new Case("bundle.priority", new byte[][]{bundleFrame(new Bundle("b-2", "sat-1", "ground", "x", 300, other.created(), other.lifetime(), 5000, other.checksum()), 0)}),
                    new Case("frame.crc", new byte[][]{bundleFrame(other, 0), corrupt(CODEC.encode(new Frame.Segment("b-2", 0, new byte[100])))}),
                    new Case("segment.id", new byte[][]{CODEC.encode(new Frame.Segment("never-announced", 0, new byte[100]))}),
                    new Case("segment.offset", new byte[][]{CODEC.encode(new Frame.BundleStart(held, 0)), CODEC.encode(new Frame.Segment(held.id(), 2000, new byte[100]))}),
                    new Case("segment.offset", new byte[][]{CODEC.encode(new Frame.BundleStart(held, 1000)), CODEC.encode(new Frame.Segment(held.id(), 4990, new byte[100]))}),
                    new Case("bundle.offset", new byte[][]{CODEC.encode(new Frame.BundleStart(held, 3000))}),
                    new Case("frame.type", new byte[][]{CODEC.encode(new Frame.Hello(1, "sat-1", "{}"))}),
                    new Case("frame", new byte[][]{Arrays.copyOf(bundleFrame(other, 0), 30)}));
            for (Case c : cases) {
                g.rec().rejected.clear();
                try (RawPeer p = new RawPeer(g.address(), "sat-1")) {
                    for (byte[] f : c.frames()) p.raw(f);
                    if (c.field().equals("frame")) p.s.shutdownOutput();
                    List<Frame> got = p.readToEnd();
                    assertThat(got).as(c.field()).anySatisfy(f -> assertThat(f).isInstanceOfSatisfying(Frame.Reject.class,
                            r -> assertThat(r.reason()).startsWith(c.field())));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> !g.rec().rejected.isEmpty());
                assertThat(g.rec().rejected).as(c.field()).anySatisfy(r -> assertThat(r).contains(c.field()));
                assertThat(g.store().fingerprint()).as(c.field()).isEqualTo(before);
            }
            // refused per bundle, session stays: wrong source, expired
            try (RawPeer p = new RawPeer(g.address(), "sat-1")) {
                p.send(new Frame.BundleStart(bundle("b-3", "sat-2", "ground", payload), 0));
                assertThat(p.read()).isInstanceOfSatisfying(Frame.Reject.class, r -> assertThat(r.reason()).contains("source"));
                Bundle old = new Bundle("b-4", "sat-1", "ground", "x", 1, Instant.now().minusSeconds(3600), Duration.ofMinutes(1), 5000, other.checksum());
                p.send(new Frame.BundleStart(old, 0));
                p.send(new Frame.Segment("b-4", 0, payload));
                assertThat(p.read()).isEqualTo(new Frame.Reject("b-4", true, "expired"));
                // checksum mismatch: dropped, asked again
                byte[] wrong = payload.clone();
                wrong[7] ^= 1;
                p.send(new Frame.BundleStart(other, 0));
                p.send(new Frame.Segment("b-2", 0, wrong));
                assertThat(p.read()).isInstanceOfSatisfying(Frame.Reject.class, r -> {
                    assertThat(r.permanent()).isFalse();
                    assertThat(r.reason()).startsWith("checksum");
                });
            }
            assertThat(g.store().fingerprint()).isEqualTo(before);
            assertThat(g.rec().delivered()).isZero();
        }
    }

    private static byte[] corrupt(byte[] f) {
        f[f.length / 2] ^= 0x10;
        return f;
    }

    @Test
    void theSameBundleArrivingTwiceIsDeliveredOnce() throws Exception {
        byte[] payload = new byte[200_000];
        new java.util.Random(5).nextBytes(payload);
        Bundle b = bundle("dup-1", "sat-1", "ground", payload);
        try (Ground g = ground()) {
            for (int round = 0; round < 3; round++) {
                try (RawPeer p = new RawPeer(g.address(), "sat-1")) {
                    p.send(new Frame.BundleStart(b, 0));
                    for (int off = 0; off < payload.length; off += 64 * 1024) {
                        p.send(new Frame.Segment(b.id(), off, Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 64 * 1024))));
                    }
                    Frame last;
                    do {
                        last = p.read();
                    } while (last instanceof Frame.Ack a && !a.complete());
                    assertThat(last).isEqualTo(new Frame.Ack(b.id(), payload.length, true));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> g.rec().delivered() == 1);
            }
            Thread.sleep(200);
            assertThat(g.rec().counts.get(b.id()).get()).isEqualTo(1);
            assertThat(g.rec().payloads.get(b.id())).isEqualTo(payload);
            // and after a restart of the endpoint on the same store
        }
        try (Ground g = ground(); RawPeer p = new RawPeer(g.address(), "sat-1")) {
            p.send(new Frame.BundleStart(b, 0));
            assertThat(p.read()).isEqualTo(new Frame.Ack(b.id(), payload.length, true));
            Thread.sleep(200);
            assertThat(g.rec().delivered()).isZero();
        }
    }

    @Test
    void storedButUndeliveredBundlesAreDeliveredAfterARestart() throws Exception {
        byte[] payload = new byte[90_000];
        new java.util.Random(8).nextBytes(payload);
        Bundle b = bundle("keep-1", "sat-1", "ground", payload);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        try (LinkStore s = LinkStore.sqlite(dir.resolve("ground.db"));
             LinkEndpoint ep = LinkEndpoint.open(TransferTest.cfg("ground", 0), s, new TcpConvergenceLayer(),
                     (bu, p) -> { attempts.incrementAndGet(); throw new IllegalStateException("application down"); }, LinkEvents.NONE)) {
            try (RawPeer p = new RawPeer(ep.listen("127.0.0.1:0"), "sat-1")) {
                p.send(new Frame.BundleStart(b, 0));
                p.send(new Frame.Segment(b.id(), 0, payload));
                assertThat(p.read()).isEqualTo(new Frame.Ack(b.id(), payload.length, true));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);   // offered again after a failure
        }
        try (Ground g = ground()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> g.rec().delivered() == 1);
            assertThat(g.rec().payloads.get(b.id())).isEqualTo(payload);
        }
    }

    @Test
    void aBundleWhoseLifetimeEndsWhileTheContactIsClosedExpiresUndelivered() throws Exception {
        Recorder n = new Recorder();
        // the node's clock is moved by the test: the lifetime runs out when the test says so, however slow the machine
        MutableClock clock = new MutableClock(Instant.now());
        LinkConfig cfg = TransferTest.cfg("sat-1", 0);
        cfg = new LinkConfig(cfg.localName(), cfg.info(), cfg.rateBytesPerSecond(), cfg.segmentBytes(),
                cfg.maxBundleBytes(), cfg.holder(), cfg.leaseTtl(), cfg.retryDelay(), clock);
        try (Ground g = ground(); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint node = LinkEndpoint.open(cfg, ns, new TcpConvergenceLayer(), n, n)) {
            node.closeContact();
            node.dial(g.address());
            Bundle shortLived = node.send(new Outgoing("ground", "telemetry", 90, Duration.ofMinutes(5), new byte[1000]));
            Bundle lasting = node.send(new Outgoing("ground", "telemetry", 10, Duration.ofHours(1), new byte[1000]));
            assertThat(node.queued("ground")).extracting(Bundle::id).containsExactly(shortLived.id(), lasting.id());
            clock.advance(Duration.ofMinutes(4));
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(30))
                    .until(() -> n.expired.isEmpty()); // within its lifetime: still queued through several sweeps
            clock.advance(Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(30)).until(() -> n.expired.contains(shortLived.id()));
            assertThat(n.expired).containsExactly(shortLived.id());
            assertThat(node.queued("ground")).extracting(Bundle::id).containsExactly(lasting.id());
            node.openContact();
            await().atMost(Duration.ofSeconds(30)).until(() -> g.rec().delivered() == 1);
            assertThat(g.rec().counts).containsOnlyKeys(lasting.id());
            assertThat(node.stats("ground").queuedBundles()).isZero();
        }
    }

    @Test
    void sendValidatesBeforeStoring() throws Exception {
        Recorder n = new Recorder();
        try (LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint node = LinkEndpoint.open(TransferTest.cfg("sat-1", 0), ns, new TcpConvergenceLayer(), n, n)) {
            String before = ns.fingerprint();
            assertThatThrownBy(() -> node.send(new Outgoing("ground/x", "k", 1, Duration.ofHours(1), new byte[1])))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.field()).isEqualTo("destination"));
            assertThatThrownBy(() -> node.send(new Outgoing("ground", "K", 1, Duration.ofHours(1), new byte[1])))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.field()).isEqualTo("kind"));
            assertThatThrownBy(() -> node.send(new Outgoing("ground", "k", 101, Duration.ofHours(1), new byte[1])))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.value()).isEqualTo(101));
            assertThatThrownBy(() -> node.send(new Outgoing("ground", "k", 1, Duration.ZERO, new byte[1])))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.field()).isEqualTo("lifetime"));
            assertThat(ns.fingerprint()).isEqualTo(before);
            assertThat(ns.schemaVersion()).isEqualTo(1);
        }
    }

    @Test
    void sendUnderAnIdQueuesItOnceEvenAfterARestart() throws Exception {
        Recorder n = new Recorder();
        Outgoing o = new Outgoing("ground", "k", 5, Duration.ofHours(1), new byte[]{1, 2, 3});
        try (LinkStore ns = LinkStore.sqlite(dir.resolve("ids.db"))) {
            String first;
            try (LinkEndpoint node = LinkEndpoint.open(TransferTest.cfg("sat-1", 0), ns, new TcpConvergenceLayer(), n, n)) {
                node.closeContact();
                first = node.send("product.sat-1.n1.7", o).id();
                assertThat(node.send("product.sat-1.n1.7", o).created()).isEqualTo(node.queued("ground").getFirst().created());
                assertThat(node.queued("ground")).hasSize(1);
            }
            try (LinkEndpoint again = LinkEndpoint.open(TransferTest.cfg("sat-1", 0), ns, new TcpConvergenceLayer(), n, n)) {
                again.closeContact();
                assertThat(again.send("product.sat-1.n1.7", o).id()).isEqualTo(first);
                assertThat(again.queued("ground")).extracting(Bundle::id).containsExactly("product.sat-1.n1.7");
                assertThatThrownBy(() -> again.send("bad id", o))
                        .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.field()).isEqualTo("id"));
            }
        }
    }

    @Test
    void aStreamedPayloadLargerThanTheSendersOwnBoundCrossesIntact() throws Exception {
        Recorder n = new Recorder();
        Recorder g = new Recorder();
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(5).nextBytes(big);
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("scene.bin"), big);
        byte[] head = {9, 9, 9};
        LinkConfig small = new LinkConfig("sat-1", "{}", 0, 64 * 1024, 1024 * 1024, "sat-1-holder",
                Duration.ofSeconds(5), Duration.ofMillis(50), null);
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("g.db"));
             LinkStore ns = LinkStore.sqlite(dir.resolve("n.db"));
             LinkEndpoint ground = LinkEndpoint.open(TransferTest.cfg("ground", 0), gs, new TcpConvergenceLayer(), g, g);
             LinkEndpoint node = LinkEndpoint.open(small, ns, new TcpConvergenceLayer(), n, n)) {
            // a payload held in memory is bound by the sender's own limit; a streamed one is not
            assertThatThrownBy(() -> node.send(new Outgoing("ground", "product", 50, Duration.ofHours(1), big)))
                    .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.field()).isEqualTo("payload"));
            node.send("product.sat-1.n1.1", "ground", "product", 50, Duration.ofHours(1), PayloadSource.of(head, file));
            node.dial(ground.listen("127.0.0.1:0"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> g.payloads.containsKey("product.sat-1.n1.1"));
            byte[] got = g.payloads.get("product.sat-1.n1.1");
            assertThat(java.util.Arrays.copyOfRange(got, 0, 3)).isEqualTo(head);
            assertThat(java.util.Arrays.copyOfRange(got, 3, got.length)).isEqualTo(big);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.queued("ground").isEmpty());
        }
    }
}
