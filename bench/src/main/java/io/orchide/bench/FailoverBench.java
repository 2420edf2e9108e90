package io.orchide.bench;

import io.orchide.link.DialStatus;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.PeerContact;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Failover of a node between ground replicas: two real {@code orchide ground} processes (the distribution jar) on
 * one real PostgreSQL server (Debian's, in a scratch directory), with the default session lease, and a node's link
 * endpoint (the agent's: default retry delay) given both link addresses. Each try kills the replica serving the
 * node with SIGKILL at a random point of its lease's renewal cycle, after the session has run for a while as it
 * would in service, and times from the kill to the node's session opening on the other replica; the killed replica
 * is started again before the next try. Figures: median and max over the tries. Argument: {@code [tries, default 10]}.
 * With {@code -Dbench.freeze=true} each try freezes the serving replica with SIGSTOP instead (its connections stay
 * open, so only the link's idle timeout tells the node), and lets it run again (SIGCONT) before the next try.
 */
public final class FailoverBench {
    private FailoverBench() {
    }

    /** One {@code orchide ground} process. */
    static final class Replica {
        final String name, db;
        final int apiPort, linkPort;
        final Path log;
        Process process;

        Replica(String name, String db, Path dir) throws Exception {
            this.name = name;
            this.db = db;
            this.apiPort = freePort();
            this.linkPort = freePort();
            this.log = dir.resolve(name + ".log");
        }

        String link() { return "127.0.0.1:" + linkPort; }

        void start() throws Exception {
            Path jar = Path.of(System.getProperty("orchide.home", ".")).resolve("cli/target/orchide.jar");
            String java = ProcessHandle.current().info().command().orElse("java");
            Files.deleteIfExists(log);
            process = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar.toString(), "ground",
                    "--db", db, "--listen", "127.0.0.1:" + apiPort, "--link-listen", link()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                if (Files.exists(log) && Files.readString(log).contains("API http://")) return;
                if (!process.isAlive()) throw new IllegalStateException(name + " exited: " + Files.readString(log));
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new IllegalStateException(name + " did not start: " + Files.readString(log));
        }

        void signal(String name) throws Exception {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (k.waitFor() != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        int tries = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean freeze = Boolean.getBoolean("bench.freeze");
        Path dir = Files.createTempDirectory("orchide-failover-bench");
        LinkedBlockingQueue<Long> opened = new LinkedBlockingQueue<>();
        try (ScratchPostgres pg = ScratchPostgres.start()) {
            String db = pg.newDatabase("failover");
            Replica a = new Replica("replica-a", db, dir), b = new Replica("replica-b", db, dir);
            a.start();
            b.start();
            System.out.printf("PostgreSQL %s (Debian, scratch cluster), two orchide ground replicas, default session lease %s, "
                    + "idle timeout %s; the serving replica is %s%n", pg.version, LinkConfig.DEFAULT_LEASE.toSeconds() + " s",
                    LinkConfig.DEFAULT_IDLE_TIMEOUT.toSeconds() + " s", freeze ? "frozen (SIGSTOP)" : "killed (SIGKILL)");
            LinkConfig cfg = new LinkConfig("sat-1", "{\"node\": \"n1\", \"arch\": \"x86_64\"}", 0, 0, 0, null, null, null, null);
            List<Double> seconds = new ArrayList<>();
            try (LinkStore store = LinkStore.sqlite(dir.resolve("node/link.db"));
                 LinkEndpoint node = LinkEndpoint.open(cfg, store, new TcpConvergenceLayer(), (bundle, p) -> { },
                         new LinkEvents() {
                             @Override
                             public void contactOpened(PeerContact peer) {
                                 opened.add(System.nanoTime());
                             }
                         })) {
                node.dial(a.link() + "," + b.link());
                for (int i = 1; i <= tries; i++) {
                    Replica serving = awaitServed(node, a, b);
                    Replica other = serving == a ? b : a;
                    // in service a session lasts long; and the kill lands anywhere in the lease's renewal cycle
                    long renewal = LinkConfig.DEFAULT_LEASE.toMillis() / 3;
                    TimeUnit.MILLISECONDS.sleep(5_000 + ThreadLocalRandom.current().nextLong(renewal));
                    opened.clear();
                    long t0 = System.nanoTime();
                    if (freeze) serving.signal("STOP");
                    else serving.kill9();
                    Long t1 = opened.poll(120, TimeUnit.SECONDS);
                    if (t1 == null) throw new IllegalStateException("try " + i + ": no session within 120 s");
                    DialStatus d = node.dialStatus();
                    if (!other.link().equals(d.current())) throw new IllegalStateException("try " + i + ": on " + d.current());
                    double s = (t1 - t0) / 1e9;
                    seconds.add(s);
                    System.out.printf("try %2d: %s %s, node served by %s after %.2f s%n", i, serving.name,
                            freeze ? "frozen" : "killed", other.name, s);
                    if (freeze) serving.signal("CONT");
                    else serving.start();
                }
            } finally {
                for (Replica r : List.of(a, b)) if (r.process != null) r.kill9(); // SIGKILL ends a stopped process too
            }
            Collections.sort(seconds);
            double median = seconds.size() % 2 == 1 ? seconds.get(seconds.size() / 2)
                    : (seconds.get(seconds.size() / 2 - 1) + seconds.get(seconds.size() / 2)) / 2;
            System.out.printf("%s of the serving replica -> node's session on the other: median %.2f s, max %.2f s, min %.2f s over %d tries%n",
                    freeze ? "SIGSTOP" : "kill -9", median, seconds.get(seconds.size() - 1), seconds.get(0), seconds.size());
        }
    }

    private static Replica awaitServed(LinkEndpoint node, Replica a, Replica b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            DialStatus d = node.dialStatus();
            if (d != null && d.connected()) {
                if (a.link().equals(d.current())) return a;
                if (b.link().equals(d.current())) return b;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("the node has no session with either replica");
    }
}
