package io.orchide.node.inference;

import io.orchide.image.ImageStore;
import io.orchide.model.Manifests;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.BrokerSocket;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.GrantStore;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.testkit.BrokerClient;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real process asks the broker, through its real socket, to run a real ONNX model with ONNX Runtime: it gets what
 * ONNX Runtime called directly gives, and so does a guest with only files (a unikernel's request directory); models not applied, not allowed for its tenant or this node's accelerator
 * class, not declared by its pipeline, or whose bytes differ from their digest never reach ONNX Runtime.
 */
class InferenceBrokerTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
    private final List<Integer> loads = new CopyOnWriteArrayList<>();
    private NodeDatabase db;
    private AuditTrail audit;
    private ModelSessions sessions;
    private BrokerSocket socket;
    private Broker broker;
    private String mask;
    private String tampered;

    @BeforeEach
    void setUp() throws Exception {
        NodeLayout layout = NodeLayout.of(dir.resolve("node"));
        db = NodeDatabase.open(layout);
        audit = new AuditTrail(db.writer(), clock);
        ImageStore images = new ImageStore(dir.resolve("images"));
        mask = images.importFile(write("mask.onnx", CloudMaskModel.bytes(0.5f))).digest();
        tampered = images.importFile(write("other.onnx", CloudMaskModel.bytes(0.7f))).digest();
        Path tamperedFile = images.path(tampered).orElseThrow();
        tamperedFile.toFile().setWritable(true);
        Files.write(tamperedFile, CloudMaskModel.bytes(0.1f)); // bytes altered on board after they were checked

        ModelRegistry models = new ModelRegistry(db.writer(), clock);
        models.apply(model("cloud-mask", "ocean-team", mask, "[ocean-team]", "[cpu, gpu]"));
        models.apply(model("gpu-only", "ocean-team", mask, "[ocean-team]", "[gpu]"));
        models.apply(model("fire-mask", "fire-team", mask, "[fire-team]", "[cpu]"));
        models.apply(model("altered", "ocean-team", tampered, "[ocean-team]", "[cpu]"));
        models.apply(model("unlisted", "ocean-team", mask, "[ocean-team]", "[cpu]"));

        sessions = new ModelSessions(images::path, bytes -> {
            loads.add(bytes.length);
            return OnnxRunner.FACTORY.load(bytes);
        });
        Set<String> declared = Set.of("cloud-mask", "gpu-only", "fire-mask", "altered");
        InferenceHandler inference = new InferenceHandler(models::get,
                (caller, model) -> caller.name().equals("ship-detect") && declared.contains(model), sessions,
                "cpu", audit::recordDecision);
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("discover: false\ndevices: []\n"), List.of());
        broker = new Broker(twin, new GrantStore(db.writer(), clock)::forDevice,
                new Leases(clock, Duration.ofMinutes(5)), clock, null, Duration.ofMinutes(95), audit::record)
                .handleVerb(InferenceHandler.VERB, inference);
        Caller ships = new Caller("ocean-team", "pipeline", "ship-detect", 50);
        socket = BrokerSocket.open(layout.brokerSocket(ships.kind(), ships.name()), () -> ships, broker);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static io.orchide.model.Model model(String name, String tenant, String digest, String tenants,
                                                String accelerators) throws Exception {
        return Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: %s, tenant: %s}
                spec: {digest: "%s", version: "1", tenants: %s, accelerators: %s}
                """.formatted(name, tenant, digest, tenants, accelerators));
    }

    @AfterEach
    void tearDown() throws Exception {
        socket.close();
        sessions.close();
        db.close();
    }

    private List<String> client(String... requests) throws Exception {
        return BrokerClient.ask(socket.path(), requests);
    }

    /** A scene whose left half is bright (clouds) and right half dark. */
    private static float[] scene() {
        float[] s = new float[64];
        for (int i = 0; i < 64; i++) s[i] = i % 8 < 4 ? 0.9f - (i % 8) * 0.05f : 0.2f + (i % 8) * 0.01f;
        return s;
    }

    private static String request(String model, float[] data) {
        StringBuilder d = new StringBuilder();
        for (float f : data) d.append(d.isEmpty() ? "" : ",").append(f);
        return "{\"verb\": \"infer\", \"model\": \"" + model + "\", \"input\": {\"shape\": [1,1,8,8], \"data\": [" + d + "]}}";
    }

    @Test
    void aProcessGetsWhatOnnxRuntimeGivesForTheSameInput() throws Exception {
        float[] scene = scene();
        Map<String, Tensor> direct;
        try (ModelRunner r = OnnxRunner.FACTORY.load(CloudMaskModel.bytes(0.5f))) {
            direct = r.run(null, new Tensor(new long[]{1, 1, 8, 8}, scene));
        }
        List<String> answers = client(request("cloud-mask", scene), request("cloud-mask", scene));

        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var answer = json.readTree(answers.getFirst());
        assertThat(answer.path("ok").asBoolean()).as(answers.getFirst()).isTrue();
        assertThat(answer.path("digest").asText()).isEqualTo(mask);
        var outputs = answer.path("result").path("outputs");
        assertThat(outputs).hasSize(2);
        for (var o : outputs) {
            Tensor expected = direct.get(o.path("name").asText());
            float[] got = new float[o.path("data").size()];
            for (int i = 0; i < got.length; i++) got[i] = o.path("data").get(i).floatValue();
            long[] shape = new long[o.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = o.path("shape").get(i).asLong();
            assertThat(new Tensor(shape, got)).isEqualTo(new Tensor(expected.shape(), expected.data()));
        }
        assertThat(direct.get("cloud_fraction").data()).containsExactly(0.5f);
        assertThat(direct.get("mask").data()[0]).isEqualTo(1f);
        assertThat(direct.get("mask").data()[7]).isEqualTo(0f);
        assertThat(answers.get(1)).isEqualTo(answers.get(0).replace("\"id\":0", "\"id\":1"));
        assertThat(loads).as("one session for the digest, made once").hasSize(1);
        assertThat(broker.tallies()).containsEntry(new Broker.Tally("infer", "allowed"), 2L);
        assertThat(audit.recent(5)).extracting(StatusReport.Audit::verb, StatusReport.Audit::outcome, StatusReport.Audit::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("infer", "allowed", "cloud-mask"),
                        org.assertj.core.groups.Tuple.tuple("infer", "allowed", "cloud-mask"));
        assertThat(audit.recent(1).getFirst().reason()).contains("pipeline ship-detect: model cloud-mask (" + mask + ") on cpu");
    }

    @Test
    void modelsNotAllowedNotDeclaredOrAlteredNeverReachOnnxRuntimeAndAreAudited() throws Exception {
        float[] scene = scene();
        List<String> answers = client(request("no-such", scene), request("gpu-only", scene),
                request("fire-mask", scene), request("unlisted", scene), request("altered", scene));

        assertThat(answers.get(0)).contains("\"ok\":false", "\"code\":\"no_such_model\"", "no-such");
        assertThat(answers.get(1)).contains("\"code\":\"model_not_allowed\"", "may run on gpu, not on this node's cpu");
        assertThat(answers.get(2)).contains("\"code\":\"model_not_allowed\"", "not allowed for tenant ocean-team");
        assertThat(answers.get(3)).contains("\"code\":\"model_not_declared\"", "pipeline ship-detect does not list model unlisted");
        assertThat(answers.get(4)).contains("\"code\":\"digest_mismatch\"", tampered);
        assertThat(loads).as("nothing reached ONNX Runtime").isEmpty();
        assertThat(broker.tallies()).containsEntry(new Broker.Tally("infer", "model_not_allowed"), 2L)
                .containsEntry(new Broker.Tally("infer", "digest_mismatch"), 1L)
                .doesNotContainKey(new Broker.Tally("infer", "allowed"));
        assertThat(audit.recent(5)).extracting(StatusReport.Audit::verb, StatusReport.Audit::outcome, StatusReport.Audit::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("infer", "refused", "altered"),
                        org.assertj.core.groups.Tuple.tuple("infer", "refused", "unlisted"),
                        org.assertj.core.groups.Tuple.tuple("infer", "refused", "fire-mask"),
                        org.assertj.core.groups.Tuple.tuple("infer", "refused", "gpu-only"),
                        org.assertj.core.groups.Tuple.tuple("infer", "refused", "no-such"));
    }

    @Test
    void anInputThatDoesNotFitTheModelNamesTheField() throws Exception {
        List<String> answers = client(
                "{\"verb\": \"infer\", \"model\": \"cloud-mask\", \"input\": {\"shape\": [1,1,8,8], \"data\": [1,2]}}",
                "{\"verb\": \"infer\", \"model\": \"cloud-mask\", \"input\": {\"shape\": [1,1,2,2], \"data\": [1,2,3,4]}}",
                "{\"verb\": \"infer\", \"model\": \"cloud-mask\"}",
                "{\"verb\": \"run\", \"model\": \"cloud-mask\"}");
        assertThat(answers.get(0)).contains("\"ok\":false", "\"code\":\"invalid\"", "\"field\":\"input.data\"", "must hold 64 values");
        assertThat(answers.get(1)).contains("\"field\":\"input.shape\"", "[1, 1, 8, 8]", "[1, 1, 2, 2]");
        assertThat(answers.get(2)).contains("\"field\":\"input\"", "is required");
        assertThat(answers.get(3)).contains("\"field\":\"verb\"", "must be one of: read, capture, configure, infer (got run)");
    }

    @Test
    void base64InputIsAnsweredInBase64() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : scene()) b.putFloat(f);
        String encoded = java.util.Base64.getEncoder().encodeToString(b.array());
        List<String> answers = client("{\"verb\": \"infer\", \"model\": \"cloud-mask\", \"input\": {\"shape\": [1,1,8,8], \"base64\": \""
                + encoded + "\"}}");
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answers.getFirst()).path("result").path("outputs");
        assertThat(o.get(1).path("name").asText()).isEqualTo("cloud_fraction");
        byte[] fraction = java.util.Base64.getDecoder().decode(o.get(1).path("base64").asText());
        assertThat(java.nio.ByteBuffer.wrap(fraction).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(0.5f);
    }

    @Test
    void aGuestWithOnlyFilesGetsTheSameOutputThroughItsRequestDirectory() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] scene = scene();
        for (float f : scene) b.putFloat(f);
        String request = "{\"id\": \"s1\", \"verb\": \"infer\", \"model\": \"cloud-mask\", \"input\": "
                + "{\"shape\": [1,1,8,8], \"base64\": \"" + java.util.Base64.getEncoder().encodeToString(b.array()) + "\"}}";
        Path requests = dir.resolve("pipeline-ship-detect.d");
        Caller ships = new Caller("ocean-team", "pipeline", "ship-detect", 50);
        try (var d = io.orchide.node.broker.BrokerDirectory.open(requests, () -> ships, broker)) {
            // what a freestanding guest does over a 9p share: write, rename into place, wait for the answer
            Files.writeString(requests.resolve("req/s1.tmp"), request);
            Files.move(requests.resolve("req/s1.tmp"), requests.resolve("req/s1.json"));
            Path answer = requests.resolve("resp/s1.json");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(answer));
            var outputs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(answer))
                    .path("result").path("outputs");
            byte[] mask = java.util.Base64.getDecoder().decode(outputs.get(0).path("base64").asText());
            float[] got = new float[64];
            java.nio.ByteBuffer.wrap(mask).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
            try (ModelRunner r = OnnxRunner.FACTORY.load(CloudMaskModel.bytes(0.5f))) {
                assertThat(got).containsExactly(r.run(null, new Tensor(new long[]{1, 1, 8, 8}, scene)).get("mask").data());
            }
        }
    }
}
