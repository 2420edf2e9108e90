package io.orchide.bench;

import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.LinkStats;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.model.codec.Durations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the link's keepalive costs on an idle session: a node's and a ground's endpoint over loopback TCP with nothing
 * to send, keepalives every {@code interval} (short, so that a short run counts many), the bytes each side sent over
 * {@code seconds} as the link counts them (frames, without TCP/IP headers), per keepalive, and scaled to the default
 * interval: per idle contact-hour, and per 10-minute pass at 256 kbit/s against what such a pass carries.
 * Arguments: {@code [interval, default 200ms] [seconds, default 30]}.
 */
public final class KeepaliveCost {
    private KeepaliveCost() {
    }

    public static void main(String[] args) throws Exception {
        Duration interval = args.length > 0 ? Durations.parse(args[0]) : Duration.ofMillis(200);
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 30;
        Path dir = Files.createTempDirectory("orchide-keepalive-bench");
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        LinkConfig g = new LinkConfig("ground", "{}", 0, 0, 0, null, null, null, null, interval, interval.multipliedBy(4));
        LinkConfig n = new LinkConfig("sat-1", "{}", 0, 0, 0, null, null, null, null, interval, interval.multipliedBy(4));
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint ground = LinkEndpoint.open(g, gs, tcp, (b, p) -> { }, LinkEvents.NONE);
             LinkEndpoint node = LinkEndpoint.open(n, ns, tcp, (b, p) -> { }, LinkEvents.NONE)) {
            node.dial(ground.listen("127.0.0.1:0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!node.stats("ground").connected() || !ground.stats("sat-1").connected()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no session within 30 s");
                TimeUnit.MILLISECONDS.sleep(10);
            }
            TimeUnit.MILLISECONDS.sleep(interval.toMillis() * 2); // past the handshake and its keepalive
            LinkStats n0 = node.stats("ground"), g0 = ground.stats("sat-1");
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            LinkStats n1 = node.stats("ground"), g1 = ground.stats("sat-1");
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long nodeBytes = n1.bytesSent() - n0.bytesSent(), groundBytes = g1.bytesSent() - g0.bytesSent();
            if (n1.lastSessionEnd() != null || !n1.connected()) throw new IllegalStateException("the session ended: " + n1);
            double expected = elapsed / (interval.toMillis() / 1000.0); // keepalives per side, at most
            double perSideRate = (nodeBytes + groundBytes) / 2.0 / elapsed; // bytes per second per side
            double perKeepalive = perSideRate * interval.toMillis() / 1000.0;
            double atDefault = perKeepalive / LinkConfig.DEFAULT_KEEPALIVE.toMillis() * 1000.0; // bytes/s per side
            double hour = atDefault * 2 * 3600, pass = atDefault * 2 * 600, passCapacity = 256_000 / 8.0 * 600;
            System.out.printf("idle session over loopback TCP, keepalive every %s: in %.1f s the node sent %d B and ground %d B "
                            + "(at most %.0f keepalives each): %.1f B per keepalive%n",
                    Durations.format(interval), elapsed, nodeBytes, groundBytes, expected, perKeepalive);
            System.out.printf("at the default interval (%s), both sides: %.0f B per idle contact-hour (%.1f KiB), %.0f B "
                            + "per idle 10-minute pass, %.3f %% of what a 10-minute pass at 256 kbit/s carries (%.0f B)%n",
                    Durations.format(LinkConfig.DEFAULT_KEEPALIVE), hour, hour / 1024, pass, 100 * pass / passCapacity,
                    passCapacity);
        }
    }
}
