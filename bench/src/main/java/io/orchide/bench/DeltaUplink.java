package io.orchide.bench;

import io.orchide.image.ChunkPack;
import io.orchide.image.Chunker;
import io.orchide.image.DeltaPlan;
import io.orchide.image.ImageManifest;
import io.orchide.image.ImageStore;
import io.orchide.image.ManifestDelta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delta uplink of an image update: the bytes Orchide's plan puts on the link (the v2 manifest as a
 * {@link ManifestDelta} against the v1 manifest the satellite holds, the missing chunks, {@link ChunkPack#FRAME_BYTES}
 * of framing per chunk), one way with no round trip, against real
 * {@code rsync} (a daemon on loopback, delta algorithm on) over the same change in the same run. rsync's bytes come
 * from its {@code --stats} and from a TCP relay between client and daemon that counts each direction and the
 * turns of the conversation; its round trips are measured by running it again through the relay with a one-way
 * delay ({@code -Dbench.delayMs}, default 100) and dividing the extra time by the round-trip time.
 *
 * <p>The image is 10 MiB of random bytes (a compressed kernel + initrd or model weights look like this to both
 * algorithms); v2 overwrites 100 KB in one region, overwrites 10 scattered 10 KB regions, or inserts 100 KB. The
 * node side is real: v1 imported into an {@link ImageStore} (which yields the v1 manifest it keeps), the delta
 * applied to that manifest, the pack stored, v2 assembled and verified. The full binary manifest
 * ({@link ImageManifest#toBinary()}) is shown for a first upload, when the satellite holds no base.
 */
public final class DeltaUplink {
    private static final int SIZE = Integer.getInteger("bench.size", 10 << 20);
    private static final int DELAY_MS = Integer.getInteger("bench.delayMs", 100);
    /** {@code -Dbench.chunk=min/avg/max} in bytes; the default chunker (2/8/64 KiB) when absent. */
    private static final Chunker CHUNKER = chunker(System.getProperty("bench.chunk"));

    private DeltaUplink() {
    }

    record Case(String name, byte[] v2) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("orchide-delta-");
        try {
            byte[] v1 = new byte[SIZE];
            new SplittableRandom(1).nextBytes(v1);
            SplittableRandom rnd = new SplittableRandom(2);
            List<Case> cases = new ArrayList<>();
            cases.add(new Case("100 KB overwritten, one region", overwrite(v1, rnd, new int[] {SIZE / 3}, 100_000)));
            int[] at = new int[10];
            for (int i = 0; i < 10; i++) {
                at[i] = (int) ((long) SIZE * (2 * i + 1) / 20);
            }
            cases.add(new Case("100 KB overwritten, 10 x 10 KB scattered", overwrite(v1, rnd, at, 10_000)));
            byte[] ins = new byte[100_000];
            rnd.nextBytes(ins);
            byte[] v2ins = new byte[SIZE + ins.length];
            System.arraycopy(v1, 0, v2ins, 0, SIZE / 4);
            System.arraycopy(ins, 0, v2ins, SIZE / 4, ins.length);
            System.arraycopy(v1, SIZE / 4, v2ins, SIZE / 4 + ins.length, SIZE - SIZE / 4);
            cases.add(new Case("100 KB inserted", v2ins));

            Path v1File = work.resolve("v1.img");
            Files.write(v1File, v1);
            ImageManifest m1 = ImageManifest.of(v1File, CHUNKER);
            DeltaPlan first = DeltaPlan.of(m1, Set.of());
            System.out.printf("image %,d bytes, %d chunks (FastCDC %d/%d/%d bytes), manifest %,d bytes binary (%,d"
                    + " JSON); %s%n", SIZE, m1.chunks().size(), CHUNKER.minSize(), CHUNKER.avgSize(), CHUNKER.maxSize(), m1.toBinary().length, m1.toJson().length, rsyncVersion());
            System.out.printf("first upload (satellite holds nothing): %,d pack + %,d binary manifest = %,d bytes%n",
                    first.packBytes(), m1.toBinary().length, first.packBytes() + m1.toBinary().length);
            System.out.println();
            System.out.printf("%-42s %10s %9s %9s %10s %6s %9s | %10s %10s %10s %6s %6s %8s%n",
                    "change", "payload", "framing", "man.delta", "Orchide", "RTs", "full man.",
                    "rsync sent", "rsync recv", "rsync all", "turns", "RTs", "ratio");
            Rsync rsync = new Rsync(work.resolve("rsync"));
            try {
                for (Case c : cases) {
                    run(work, v1File, m1, c, rsync);
                }
            } finally {
                rsync.close();
            }
            System.out.println();
            System.out.println("Orchide = payload + framing + man.delta (the v2 manifest as a delta against the v1"
                    + " manifest the satellite holds), ground -> satellite only, computed from what ground knows the"
                    + " satellite holds: no round trip in the pass. full man. = v2's whole manifest in binary, what"
                    + " replaces man.delta when the satellite holds no base manifest. rsync sent/recv = client (ground) 'Total bytes sent'/'received' from --stats;"
                    + " all = both directions as counted by the relay (incl. daemon greeting); turns = changes of"
                    + " direction on the wire; RTs = (time with " + DELAY_MS + " ms one-way delay - time without)"
                    + " / " + 2 * DELAY_MS + " ms. ratio = rsync all / Orchide.");
        } finally {
            deleteTree(work);
        }
    }

    private static Chunker chunker(String spec) {
        if (spec == null || spec.isBlank()) {
            return Chunker.DEFAULT;
        }
        String[] p = spec.split("/");
        if (p.length != 3) {
            throw new IllegalArgumentException("bench.chunk must be min/avg/max in bytes, got " + spec);
        }
        return new Chunker(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
    }

    private static byte[] overwrite(byte[] v1, SplittableRandom rnd, int[] at, int len) {
        byte[] v2 = v1.clone();
        for (int a : at) {
            byte[] r = new byte[len];
            rnd.nextBytes(r);
            System.arraycopy(r, 0, v2, a, len);
        }
        return v2;
    }

    private static void run(Path work, Path v1File, ImageManifest m1, Case c, Rsync rsync) throws Exception {
        Path v2File = work.resolve("v2.img");
        Files.write(v2File, c.v2());
        ImageManifest m2 = ImageManifest.of(v2File, CHUNKER);
        DeltaPlan plan = DeltaPlan.against(m2, m1);
        byte[] manifest = ManifestDelta.encode(m2, m1);
        byte[] full = m2.toBinary();
        byte[] pack = ChunkPack.fromImage(v2File, m2, plan.send());
        // The node: holds v1 and its manifest, receives manifest delta + pack, assembles and verifies v2.
        Path storeDir = work.resolve("node");
        ImageStore node = new ImageStore(storeDir, CHUNKER);
        ImageManifest held = node.importFile(v1File);
        if (!ManifestDelta.baseDigest(manifest).equals(held.digest())) {
            throw new IllegalStateException("delta names another base for " + c.name());
        }
        ImageManifest received = ManifestDelta.apply(manifest, held);
        node.putPack(pack);
        if (!received.equals(ImageManifest.fromBinary(full)) || !node.missing(received).isEmpty() || !Arrays.equals(Files.readAllBytes(node.assemble(received)), c.v2())
                || !node.verify(received.digest())) {
            throw new IllegalStateException("node could not assemble v2 for " + c.name());
        }
        deleteTree(storeDir);
        long ours = pack.length + manifest.length;

        Rsync.Result r = rsync.transfer(v1File, v2File, 0);
        Rsync.Result slow = rsync.transfer(v1File, v2File, DELAY_MS);
        double rts = (slow.seconds() - r.seconds()) / (2 * DELAY_MS / 1000.0);
        long rsyncAll = r.relayUp() + r.relayDown();
        System.out.printf("%-42s %,10d %,9d %,9d %,10d %6d %,9d | %,10d %,10d %,10d %6d %6.1f %8.2f%n",
                c.name(), plan.bytes(), plan.chunkCount() * (long) ChunkPack.FRAME_BYTES, manifest.length, ours,
                0, full.length, r.sent(), r.received(), rsyncAll, r.turns(), rts, (double) rsyncAll / ours);
        if (pack.length != plan.packBytes()) {
            throw new IllegalStateException("pack size " + pack.length + " != plan " + plan.packBytes());
        }
    }

    private static String rsyncVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rsync", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("rsync ?");
        p.waitFor();
        return first.replaceAll("\\s+", " ").trim();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** An rsync daemon on loopback with one module, reached through a counting, delaying relay. */
    static final class Rsync implements AutoCloseable {
        record Result(long sent, long received, long relayUp, long relayDown, int turns, double seconds) {
        }

        private final Path dir;
        private final Path module;
        private final Process daemon;
        private final int daemonPort;

        Rsync(Path dir) throws Exception {
            this.dir = dir;
            this.module = dir.resolve("sat");
            Files.createDirectories(module);
            daemonPort = freePort();
            boolean root = "root".equals(System.getProperty("user.name"));
            Path conf = dir.resolve("rsyncd.conf");
            Files.writeString(conf, "use chroot = no\npid file = " + dir.resolve("rsyncd.pid") + "\n"
                    + "[sat]\n  path = " + module + "\n  read only = no\n" + (root ? "  uid = 0\n  gid = 0\n" : ""));
            daemon = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--address=127.0.0.1",
                    "--port=" + daemonPort, "--config=" + conf, "--log-file=" + dir.resolve("rsyncd.log"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyncd.out").toFile()).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemonPort)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !daemon.isAlive()) {
                        throw new IllegalStateException("rsync daemon did not start: "
                                + Files.readString(dir.resolve("rsyncd.out")), e);
                    }
                    Thread.sleep(20);
                }
            }
        }

        /** Puts v1 at the satellite, then sends v2 over it with rsync's delta algorithm. */
        Result transfer(Path v1, Path v2, int delayMs) throws Exception {
            Path target = module.resolve("image.img");
            Files.deleteIfExists(target);
            Files.copy(v1, target);
            Path src = dir.resolve("src");
            Files.createDirectories(src);
            Path srcFile = src.resolve("image.img");
            Files.deleteIfExists(srcFile);
            Files.copy(v2, srcFile);
            try (Relay relay = new Relay(daemonPort, delayMs)) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("rsync", "--stats", "--no-whole-file", "--ignore-times",
                        srcFile.toString(), "rsync://127.0.0.1:" + relay.port() + "/sat/image.img")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int rc = p.waitFor();
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (rc != 0) {
                    throw new IllegalStateException("rsync exited " + rc + ": " + out);
                }
                if (Files.mismatch(target, v2) != -1) {
                    throw new IllegalStateException("rsync did not produce v2");
                }
                if (!out.contains("Matched data:") || stat(out, "Matched data") == 0) {
                    throw new IllegalStateException("rsync did not use its delta algorithm: " + out);
                }
                relay.awaitClosed();
                return new Result(stat(out, "Total bytes sent"), stat(out, "Total bytes received"), relay.up.get(),
                        relay.down.get(), relay.turns.get(), seconds);
            }
        }

        private static long stat(String out, String name) {
            Matcher m = Pattern.compile(Pattern.quote(name) + ": ([0-9,.]+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no '" + name + "' in rsync --stats: " + out);
            }
            return Long.parseLong(m.group(1).replace(",", "").replace(".", ""));
        }

        @Override public void close() throws Exception {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * One TCP connection relayed to the daemon: counts bytes each way and the turns (data in one direction after
     * data in the other), and holds each segment {@code delayMs} before forwarding it (order kept).
     */
    static final class Relay implements AutoCloseable {
        final AtomicLong up = new AtomicLong();
        final AtomicLong down = new AtomicLong();
        final AtomicInteger turns = new AtomicInteger();
        private final AtomicReference<String> last = new AtomicReference<>();
        private final ServerSocket server;
        private final int target;
        private final int delayMs;
        private final List<Thread> threads = new ArrayList<>();
        private final Thread acceptor;

        Relay(int target, int delayMs) throws IOException {
            this.target = target;
            this.delayMs = delayMs;
            this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                Socket client = server.accept();
                Socket daemon = new Socket();
                daemon.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                client.setTcpNoDelay(true);
                daemon.setTcpNoDelay(true);
                pump("up", client, daemon, up);
                pump("down", daemon, client, down);
            } catch (IOException e) {
                // closed
            }
        }

        private void pump(String dir, Socket from, Socket to, AtomicLong count) throws IOException {
            LinkedBlockingQueue<Object[]> q = new LinkedBlockingQueue<>();
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        count.addAndGet(r);
                        if (!dir.equals(last.getAndSet(dir))) {
                            turns.incrementAndGet();
                        }
                        q.put(new Object[] {System.nanoTime() + delayMs * 1_000_000L, Arrays.copyOf(buf, r)});
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
                q.add(new Object[] {0L, null});
            }));
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Object[] item = q.take();
                        if (item[1] == null) {
                            to.shutdownOutput();
                            return;
                        }
                        long wait = (long) item[0] - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        out.write((byte[]) item[1]);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            }));
        }

        void awaitClosed() throws InterruptedException {
            acceptor.join(10_000);
            for (Thread t : List.copyOf(threads)) {
                t.join(10_000);
            }
        }

        @Override public void close() throws IOException {
            server.close();
        }
    }
}
