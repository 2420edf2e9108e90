package io.orchide.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example cloud detector through the real distribution, as examples/models/README.md says: its file pushed to a
 * node with the CLI, its Model and an App using it applied, the App's inference answered by the node's broker, and
 * what get models shows after; and the same model allowed on ground by an operator, its file pushed to ground by its
 * tenant, reaching the node through the link and run for a process App that declares it.
 */
class ModelIT {
    @TempDir
    Path tmp;

    @Test
    void theExampleModelIsPushedAppliedAndRunForAnApp() throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), """
                discover: false
                devices: [{name: gpu-0, class: gpu}]
                """);
        Path examples = Agent.REPO.resolve("examples");
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort(), "--devices", devices.toString()).start()) {
            Cli cli = agent.cli();
            String digest = Files.readString(examples.resolve("models/cloud-mask.yaml")).replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");
            assertThat(cli.ok("image", "push", examples.resolve("models/cloud-mask.onnx").toString()).strip()).isEqualTo(digest);
            cli.ok("apply", "-f", examples.resolve("models/cloud-mask.yaml").toString());
            cli.ok("apply", "-f", examples.resolve("apps/cloud-mask-client.yaml").toString());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(cli.ok("logs", "cloud-mask-client")).contains("fraction [0.5]"));
            assertThat(cli.ok("get", "models")).containsPattern(
                    "cloud-mask\\s+default\\s+1\\s+cpu\\s+" + digest.substring(0, 19) + "\\s+yes\\s+yes");
        }
    }

    @Test
    void theExampleModelAllowedOnGroundReachesTheNodeWithItsFileAndRunsForAnApp() throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), """
                discover: false
                devices: [{name: gpu-0, class: gpu}]
                """);
        Path examples = Agent.REPO.resolve("examples");
        // the examples' tenant is the node's default; on ground the model belongs to a tenant ground knows
        Path model = Files.writeString(tmp.resolve("model.yaml"), Files.readString(examples.resolve("models/cloud-mask.yaml"))
                .replace("tenant: default", "tenant: ocean-team"));
        Path app = Files.writeString(tmp.resolve("app.yaml"), Files.readString(examples.resolve("apps/cloud-mask-client.yaml"))
                .replace("tenant: default", "tenant: ocean-team"));
        String digest = Files.readString(model).replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            try (Agent node = ground.registeredNode(tmp.resolve("n1"), "--devices", devices.toString()).start()) {
                Cli g = ground.cli();
                g.ok("create", "tenant", "ocean-team");
                Cli ocean = new Cli(ground.server(), g.ok("create", "token", "--tenant", "ocean-team", "--role",
                        "tenant-admin").strip());
                assertThat(ocean.ok("image", "push", examples.resolve("models/cloud-mask.onnx").toString()).strip())
                        .isEqualTo(digest);
                Cli.Result refused = ocean.run("apply", "-f", model.toString(), "--satellite", "sat-1");
                assertThat(refused.status()).as("a tenant's own roles allow no model").isNotZero();
                assertThat(refused.err()).contains("forbidden").contains("models are allowed on board by role platform-admin or operator");

                Cli operator = new Cli(ground.server(), g.ok("create", "token", "--role", "operator").strip());
                operator.ok("apply", "-f", model.toString(), "--satellite", "sat-1");
                assertThat(operator.ok("get", "models", "--satellite", "sat-1")).containsPattern(
                        "cloud-mask\\s+ocean-team\\s+1\\s+cpu\\s+" + digest.substring(0, 19) + "\\s+-\\s+1");
                // the file travels ahead of the Model: the node applies it once the file is whole
                NodeHttp.await(60, () -> node.cli().ok("get", "models"), out -> out.contains("cloud-mask"));
                assertThat(node.cli().ok("get", "models")).containsPattern(
                        "cloud-mask\\s+ocean-team\\s+1\\s+cpu\\s+" + digest.substring(0, 19) + "\\s+yes\\s+no");

                // the App on the node's own API: applied from ground, the client would push its local interpreter as
                // a content image
                node.cli().ok("apply", "-f", app.toString());
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(node.cli().ok("logs", "cloud-mask-client")).contains("fraction [0.5]"));

                operator.ok("delete", "model", "cloud-mask", "--satellite", "sat-1");
                NodeHttp.await(60, () -> node.cli().ok("get", "models"), out -> !out.contains("cloud-mask"));
                assertThat(operator.ok("get", "models", "--satellite", "sat-1")).doesNotContain("cloud-mask");
            }
        }
    }
}
