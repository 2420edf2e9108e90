package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.model.Accel;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.inference.CloudMaskModelFile;
import io.orchide.node.inference.ModelRunner;
import io.orchide.node.inference.OnnxRunner;
import io.orchide.node.inference.Tensor;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.testkit.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cloudinfer unikernel (examples/unikernels/cloudinfer), a pipeline step booted by the agent under real qemu
 * (TCG), averages its scene down to the example model's 8x8 input and has the broker run the model through its
 * request directory: the step declares the model and no grant names the pipeline. What it gets back is what ONNX
 * Runtime called directly gives for the input it sent, and that input is the scene's.
 */
class CloudInferUnikernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 64, HEIGHT = 50;

    @TempDir
    Path dir;

    private Path kernel;
    private NodeAgent agent;

    @BeforeEach
    void needsQemuAndKernel() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        // a kernel that does not build fails the test with make's output: never a silent skip
        kernel = Examples.make("examples/unikernels/cloudinfer").resolve("build/cloudinfer-x86_64.elf");
    }

    private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return AgentCalls.call(agent, dir, method, path, body);
    }

    private void apply(String manifest) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/apply", HttpRequest.BodyPublishers.ofString(manifest));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** A bright round cloud over a dim, textured ground: cells fully cloud, fully clear and in between. */
    private static byte[] scene() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P5\n# a test scene\n" + WIDTH + " " + HEIGHT + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int dx = x - 22, dy = y - 18;
                out.write(dx * dx + dy * dy < 15 * 15 ? 240 : 20 + (x * 7 + y * 3) % 60);
            }
        }
        return out.toByteArray();
    }

    /** Each 8x8 cell's mean brightness over 255, as the kernel computes it: four decimals, rounded down. */
    private static float[] expectedInput(byte[] pgm) {
        int pixels = pgm.length - WIDTH * HEIGHT;
        long[] sums = new long[64], counts = new long[64];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int cell = y * 8 / HEIGHT * 8 + x * 8 / WIDTH;
                sums[cell] += pgm[pixels + y * WIDTH + x] & 0xff;
                counts[cell]++;
            }
        }
        float[] out = new float[64];
        for (int i = 0; i < 64; i++) out[i] = (sums[i] * 10000 / (counts[i] * 255)) / 10000f;
        return out;
    }

    private static float[] floats(JsonNode list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = list.get(i).floatValue(); // as the broker reads them
        return out;
    }

    private Path output(String name) throws Exception {
        try (Stream<Path> files = Files.walk(NodeLayout.of(dir).pipelines())) {
            List<Path> found = files.filter(p -> p.getFileName().toString().equals(name)).toList();
            assertThat(found).as("the step's " + name).hasSize(1);
            return found.getFirst();
        }
    }

    /** Runs the pipeline cloud-infer on {@code pgm}; its step must succeed, having printed the cloud fraction. */
    private void runOn(byte[] pgm) throws Exception {
        Path scene = Files.write(Files.createDirectories(dir.resolve("capture")).resolve("scene-0001.pgm"), pgm);
        HttpResponse<String> r = call("POST", "/api/v1/pipelines/cloud-infer/runs",
                HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"scene\": \"" + scene + "\"}}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String run = JSON.readTree(r.body()).path("name").asText();
        HttpResponse<String> ended = call("GET", "/api/v1/runs/" + run + "/wait?timeoutSeconds=60",
                HttpRequest.BodyPublishers.noBody());
        String logs = call("GET", "/api/v1/runs/" + run + "/logs?step=infer", HttpRequest.BodyPublishers.noBody()).body();
        assertThat(JSON.readTree(ended.body()).path("state").asText()).as(ended.body() + "\n" + logs).isEqualTo("succeeded");
        assertThat(logs).contains("cloudinfer: scene-0001.pgm 64x50 model=cloud-mask cloud_fraction=[", "cloudinfer: exit 0");
    }

    private NodeAgent start() throws Exception {
        return NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(4, 512), Accel.TCG,
                null, 64 * 1024, null, null, null, null, DevicesFile.parse("discover: false\n"), null),
                rc -> List.of(new QemuDriver(rc)));
    }

    @Test
    void theShippedPipelineRunsTheShippedModel() throws Exception {
        agent = start();
        try {
            Path examples = Path.of("..", "examples");
            HttpResponse<String> pushed = call("POST", "/api/v1/images",
                    HttpRequest.BodyPublishers.ofFile(examples.resolve("models/cloud-mask.onnx")));
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
            apply(Files.readString(examples.resolve("models/cloud-mask.yaml")));
            // the CLI resolves the image's path against the manifest's directory; the API takes it whole
            apply(Files.readString(examples.resolve("pipelines/cloud-infer.yaml"))
                    .replace("../unikernels/cloudinfer/build/cloudinfer-x86_64.elf", kernel.toString()));
            runOn(scene());
            JsonNode answer = JSON.readTree(Files.readString(output("infer.json")));
            assertThat(answer.path("ok").asBoolean()).as(answer.toString()).isTrue();
            assertThat(answer.path("model").asText()).isEqualTo("cloud-mask");
        } finally {
            agent.close();
        }
    }

    @Test
    void aUnikernelStepGetsFromTheBrokerWhatOnnxRuntimeGivesForTheSameInput() throws Exception {
        agent = start();
        try {
            byte[] model = CloudMaskModelFile.bytes();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
            HttpResponse<String> pushed = call("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(model));
            assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
            apply("""
                    apiVersion: orchide.io/v1
                    kind: Model
                    metadata: {name: cloud-mask, tenant: ocean-team}
                    spec: {digest: "%s", version: "1", accelerators: [cpu]}
                    """.formatted(digest));
            // no DeviceGrant: declaring the model is what gives the step its request directory
            apply("""
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: cloud-infer, tenant: ocean-team}
                    spec:
                      steps:
                        - name: infer
                          template:
                            image: %s
                            runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                            args: ["model=cloud-mask"]
                            resources: {vcpus: 1, memoryMiB: 32}
                            models: [cloud-mask]
                          inputs: [{name: scene, from: trigger}]
                          outputs: [{name: result, path: infer.json}]
                    """.formatted(kernel));
            byte[] pgm = scene();
            runOn(pgm);

            float[] sent = floats(JSON.readTree(Files.readString(output("input.json"))).path("data"));
            assertThat(sent).containsExactly(expectedInput(pgm), within(1e-6f));
            Map<String, Tensor> direct;
            try (ModelRunner runner = OnnxRunner.FACTORY.load(model)) {
                direct = runner.run(null, new Tensor(new long[]{1, 1, 8, 8}, sent));
            }
            JsonNode answer = JSON.readTree(Files.readString(output("infer.json")));
            assertThat(answer.path("ok").asBoolean()).as(answer.toString()).isTrue();
            assertThat(answer.path("digest").asText()).isEqualTo(digest);
            JsonNode outputs = answer.path("result").path("outputs");
            assertThat(outputs).hasSize(direct.size());
            for (JsonNode o : outputs) {
                long[] shape = new long[o.path("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = o.path("shape").get(i).asLong();
                Tensor expected = direct.get(o.path("name").asText());
                assertThat(new Tensor(shape, floats(o.path("data")))).as(o.path("name").asText()).isEqualTo(expected);
            }
            // the scene is neither all cloud nor all clear, so the comparison says something
            float fraction = direct.get("cloud_fraction").data()[0];
            assertThat(fraction).isStrictlyBetween(0f, 1f);
        } finally {
            agent.close();
        }
    }
}
