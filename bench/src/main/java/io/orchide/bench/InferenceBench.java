package io.orchide.bench;

import io.orchide.image.ImageStore;
import io.orchide.model.Manifests;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.BrokerSocket;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.GrantStore;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.inference.InferenceHandler;
import io.orchide.node.inference.ModelRegistry;
import io.orchide.node.inference.ModelRunner;
import io.orchide.node.inference.ModelSessions;
import io.orchide.node.inference.OnnxRunner;
import io.orchide.node.inference.Tensor;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What asking the broker to run a model costs a guest: the example cloud detector (examples/models) run through a
 * workload's broker socket (a JSON line with the scene in base64, the answer read back and decoded: what a container
 * or process does) against ONNX Runtime called directly in the same process on the same input, interleaved, p50 and
 * p99 of {@code bench.n} (5,000) each after {@code bench.warmup} (500).
 */
public final class InferenceBench {
    private static final int N = Integer.getInteger("bench.n", 5000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 500);

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("orchide.home", "."));
        Path modelFile = home.resolve("examples/models/cloud-mask.onnx");
        Path dir = Files.createTempDirectory("inference-bench");
        Clock clock = Clock.systemUTC();
        NodeLayout layout = NodeLayout.of(dir.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            AuditTrail audit = new AuditTrail(db.writer(), clock, db.journal()); // as in the agent
            db.journal().start();
            ImageStore images = new ImageStore(dir.resolve("images"));
            String digest = images.importFile(modelFile).digest();
            ModelRegistry models = new ModelRegistry(db.writer(), clock);
            models.apply(Manifests.parseModel(Files.readString(home.resolve("examples/models/cloud-mask.yaml"))));
            ModelSessions sessions = new ModelSessions(images::path, OnnxRunner.FACTORY);
            Broker broker = new Broker(new DeviceTwin(DevicesFile.parse("discover: false\ndevices: []\n"), List.of()),
                    new GrantStore(db.writer(), clock)::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock, null,
                    Duration.ofMinutes(95), audit::recordDecision)
                    .handleVerb(InferenceHandler.VERB, new InferenceHandler(models::get, (c, m) -> true, sessions, "cpu",
                            audit::recordDecision));
            Caller caller = new Caller("default", "app", "bench", 0);
            float[] scene = new float[64];
            for (int i = 0; i < 64; i++) scene[i] = i % 8 < 4 ? 0.9f : 0.1f;
            ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : scene) b.putFloat(f);
            String line = "{\"id\":1,\"verb\":\"infer\",\"model\":\"cloud-mask\",\"input\":{\"shape\":[1,1,8,8],\"base64\":\""
                    + Base64.getEncoder().encodeToString(b.array()) + "\"}}\n";
            byte[] request = line.getBytes(StandardCharsets.UTF_8);
            Tensor input = new Tensor(new long[]{1, 1, 8, 8}, scene);
            try (BrokerSocket socket = BrokerSocket.open(layout.brokerSocket("app", "bench"), () -> caller, broker);
                 ModelRunner direct = OnnxRunner.FACTORY.load(Files.readAllBytes(modelFile));
                 SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket.path()));
                OutputStream out = Channels.newOutputStream(ch);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                long[] viaBroker = new long[N], directly = new long[N];
                for (int i = -WARMUP; i < N; i++) {
                    long t0 = System.nanoTime();
                    out.write(request);
                    out.flush();
                    String answer = in.readLine();
                    int at = answer.indexOf("\"base64\":\"");
                    Base64.getDecoder().decode(answer.substring(at + 10, answer.indexOf('"', at + 10)));
                    long t1 = System.nanoTime();
                    direct.run(null, input);
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        viaBroker[i] = t1 - t0;
                        directly[i] = t2 - t1;
                    }
                    if (i == -WARMUP && !answer.contains("\"ok\":true")) throw new IllegalStateException(answer);
                }
                System.out.println("model " + digest + " (" + Files.size(modelFile) + " bytes), input [1,1,8,8] float32, "
                        + N + " calls each, interleaved, after " + WARMUP + " warm-up calls");
                print("ONNX Runtime called directly", directly);
                print("through the broker socket", viaBroker);
                Arrays.sort(viaBroker);
                Arrays.sort(directly);
                System.out.println(String.format(Locale.ROOT, "added by the broker: p50 %.3f ms, p99 %.3f ms",
                        (viaBroker[N / 2] - directly[N / 2]) / 1e6, (viaBroker[N * 99 / 100] - directly[N * 99 / 100]) / 1e6));
            }
            sessions.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.println(String.format(Locale.ROOT, "%-30s p50 %.3f ms  p99 %.3f ms  max %.3f ms", what,
                s[s.length / 2] / 1e6, s[s.length * 99 / 100] / 1e6, s[s.length - 1] / 1e6));
    }
}
