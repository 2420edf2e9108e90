package io.orchide.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.model.Manifests;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.BrokerDirectory;
import io.orchide.node.broker.BrokerSocket;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.DeviceHandler;
import io.orchide.node.broker.GrantUses;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What the broker adds to a guest's capture or reading, guest to result: the same request (a capture on
 * {@code camera-1}, which takes and gives back the device's lease, and a read of {@code gnss-1}) through a workload's
 * Unix socket (a JSON line written, the answer line read: what a container or process does), through its request
 * directory (the request written under a name of its own, renamed to {@code req/ID.json}, {@code resp/ID.json}
 * polled for, read and removed: what a freestanding unikernel does over its share, here on the host's file system),
 * and in the same process through {@link Broker#perform} (grant decision, audit record, lease, handler), against the
 * device's handler called directly, interleaved, p50 and p99 of {@code bench.n} (2,000) each after
 * {@code bench.warmup} (200). The handler answers at once, so every figure is the path's own cost. Three rounds, each
 * in a real node.db (SQLite, WAL): {@link Round#AGENT} as in the agent (an allowed decision's audit record and quota
 * count journalled before the answer and written to node.db just after it, {@link AuditTrail#recordDecision});
 * {@link Round#SYNCED}
 * each audit record synced before the answer (how the agent recorded every decision before); {@link Round#NONE} the
 * records discarded, which separates what the audit costs from what the transport costs. The audit table is emptied
 * every 100 calls, outside the timed ones, so that it never reaches its bound (past it, every record also deletes the
 * oldest).
 */
public final class BrokerCallBench {
    private static final int N = Integer.getInteger("bench.n", 2000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 200);
    /** How long the directory client sleeps between looks for its answer (a guest polls; it has no file events). */
    private static final long POLL_NS = Long.getLong("bench.pollMicros", 50) * 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerCallBench() {
    }

    /** A sensor that answers at once: what a capture or reading returns, without the sensor's own time. */
    private static final class Instant implements DeviceHandler {
        @Override
        public ObjectNode handle(DeviceGrantSpec.Verb verb, DeviceTwin.View device, Caller caller, JsonNode args) {
            ObjectNode o = JSON.createObjectNode();
            o.put("device", device.name());
            o.put("verb", verb.toString());
            o.put("value", 42);
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(N + " calls per path and request, interleaved, after " + WARMUP
                + " warm-up calls; the handler answers at once; request directory polled every " + POLL_NS / 1000 + " us");
        for (Round r : Round.values()) measure(r);
    }

    /** Where the broker's decisions go. */
    private enum Round {
        AGENT("== as in the agent: allowed decisions' audit records and quota counts journalled before the answer, in node.db (synced) just after"),
        SYNCED("== every audit record synced to node.db before the answer (SQLite WAL, synchronous=FULL)"),
        NONE("== audit records discarded (the transport and the decision alone)");

        final String title;

        Round(String title) {
            this.title = title;
        }
    }

    /** One round of every request over every path, the broker's audit records into node.db or discarded. */
    private static void measure(Round round) throws Exception {
        boolean auditToDb = round != Round.NONE;
        Path dir = Files.createTempDirectory("broker-bench");
        Clock clock = Clock.systemUTC();
        NodeLayout layout = NodeLayout.of(dir.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            // as in the agent (Round.AGENT): allowed decisions written ahead through the journal
            AuditTrail audit = round == Round.AGENT ? new AuditTrail(db.writer(), clock, db.journal())
                    : new AuditTrail(db.writer(), clock);
            GrantUses uses = round == Round.AGENT ? new GrantUses(db.writer(), db.journal()) : GrantUses.MEMORY;
            db.journal().start();
            DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                    discover: false
                    devices:
                      - {name: camera-1, class: camera}
                      - {name: gnss-1, class: gnss}
                    """), List.of());
            var grant = Manifests.parseDeviceGrant("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: bench-sensors, tenant: ocean-team}
                    spec: {device: camera-1, apps: [bench], verbs: [capture, read]}
                    """);
            var gnssGrant = Manifests.parseDeviceGrant("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: bench-gnss, tenant: ocean-team}
                    spec: {device: gnss-1, apps: [bench], verbs: [read]}
                    """);
            Instant handler = new Instant();
            Broker broker = new Broker(twin, d -> d.equals("camera-1") ? List.of(grant)
                    : d.equals("gnss-1") ? List.of(gnssGrant) : List.of(), new Leases(clock, Duration.ofMinutes(5)),
                    clock, null, Duration.ofMinutes(95), switch (round) {
                        case AGENT -> audit::recordDecision;
                        case SYNCED -> audit::record;
                        case NONE -> change -> { };
                    }, uses)
                    .handle("camera-1", handler).handle("gnss-1", handler);
            Caller caller = new Caller("ocean-team", "app", "bench", 0);
            System.out.println();
            System.out.println(round.title);
            Path socketPath = layout.brokerSocket("app", "bench");
            try (BrokerSocket socket = BrokerSocket.open(socketPath, () -> caller, broker);
                 BrokerDirectory directory = BrokerDirectory.open(dir.resolve("app-bench.d"), () -> caller, broker);
                 SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket.path()));
                OutputStream out = Channels.newOutputStream(ch);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                for (String[] req : new String[][]{{"capture", "camera-1"}, {"read", "gnss-1"}}) {
                    DeviceGrantSpec.Verb verb = DeviceGrantSpec.Verb.valueOf(req[0].toUpperCase(Locale.ROOT));
                    DeviceTwin.View view = twin.get(req[1]).orElseThrow();
                    JsonNode noArgs = JSON.createObjectNode();
                    byte[] line = ("{\"id\":1,\"verb\":\"" + req[0] + "\",\"device\":\"" + req[1] + "\"}\n")
                            .getBytes(StandardCharsets.UTF_8);
                    long[] direct = new long[N], perform = new long[N], viaSocket = new long[N], viaDir = new long[N];
                    for (int i = -WARMUP; i < N; i++) {
                        // outside the timed calls: the audit never reaches its bound, so no call pays for trimming it
                        // (as on a node whose records go to ground); each call still commits its own record
                        if (auditToDb && i % 100 == 0) forgetAudit(db);
                        long t0 = System.nanoTime();
                        handler.handle(verb, view, caller, noArgs);
                        long t1 = System.nanoTime();
                        Broker.Outcome o = broker.perform(caller, req[1], verb, noArgs);
                        long t2 = System.nanoTime();
                        out.write(line);
                        out.flush();
                        String answer = in.readLine();
                        long t3 = System.nanoTime();
                        String fromDir = viaDirectory(directory.root(), "r" + (i + WARMUP), line);
                        long t4 = System.nanoTime();
                        if (i == -WARMUP) {
                            check(o.decision().allowed(), "in process: " + o.decision());
                            check(answer.contains("\"ok\":true"), "socket: " + answer);
                            check(fromDir.contains("\"ok\":true"), "directory: " + fromDir);
                        }
                        if (i >= 0) {
                            direct[i] = t1 - t0;
                            perform[i] = t2 - t1;
                            viaSocket[i] = t3 - t2;
                            viaDir[i] = t4 - t3;
                        }
                    }
                    System.out.println(req[0] + " " + req[1] + ":");
                    print("handler called directly", direct);
                    print("Broker.perform, same process", perform);
                    print("Unix socket (container, process)", viaSocket);
                    print("request directory (unikernel)", viaDir);
                    added("added over the handler, socket", viaSocket, direct);
                    added("added over the handler, directory", viaDir, direct);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void forgetAudit(NodeDatabase db) throws java.sql.SQLException, InterruptedException {
        db.journal().flush();
        var writer = db.writer();
        synchronized (writer.lock()) {
            try (var st = writer.connection().createStatement()) {
                st.executeUpdate("DELETE FROM audit_record");
            }
        }
    }

    /** One request as a guest without sockets makes it: write, rename into req/, poll resp/, read, remove. */
    private static String viaDirectory(Path root, String id, byte[] request) throws Exception {
        Path tmp = root.resolve("req").resolve(id + ".tmp");
        Files.write(tmp, request);
        Files.move(tmp, root.resolve("req").resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
        Path resp = root.resolve("resp").resolve(id + ".json");
        while (true) {
            try {
                String answer = Files.readString(resp);
                Files.delete(resp);
                return answer;
            } catch (NoSuchFileException notYet) {
                LockSupport.parkNanos(POLL_NS);
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("refused: " + what);
    }

    private static void print(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.println(String.format(Locale.ROOT, "  %-34s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms", what,
                s[s.length / 2] / 1e6, s[s.length * 99 / 100] / 1e6, s[s.length - 1] / 1e6));
    }

    private static void added(String what, long[] path, long[] base) {
        long[] p = path.clone(), b = base.clone();
        Arrays.sort(p);
        Arrays.sort(b);
        System.out.println(String.format(Locale.ROOT, "  %-34s p50 %8.3f ms  p99 %8.3f ms", what,
                (p[p.length / 2] - b[b.length / 2]) / 1e6, (p[p.length * 99 / 100] - b[b.length * 99 / 100]) / 1e6));
    }
}
