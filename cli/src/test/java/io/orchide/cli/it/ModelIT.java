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
 * what get models shows after.
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
}
