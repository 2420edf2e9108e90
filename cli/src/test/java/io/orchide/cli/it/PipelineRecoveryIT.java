package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the agent in the middle of a run: completed steps are not redone, the running step is re-adopted
 * (or re-run when its monitor died too, as after a reboot), no run is lost or started twice.
 */
class PipelineRecoveryIT {
    @TempDir
    Path tmp;

    private Path pipeline() throws Exception {
        return PipelineFixtures.containerPipeline(tmp, "chain", "",
                PipelineFixtures.step("first", "date +%s%N > /out/first.txt", "outputs: [{name: f, path: first.txt}]")
                        + PipelineFixtures.step("middle", "sleep 4; cat /in/f/first.txt > /out/middle.txt",
                        "after: [first]\ninputs: [{name: f, from: steps.first.outputs.f}]\n"
                                + "outputs: [{name: m, path: middle.txt}]")
                        + PipelineFixtures.step("last", "cat /in/m/middle.txt", "after: [middle]\n"
                        + "inputs: [{name: m, from: steps.middle.outputs.m}]"));
    }

    /** Applies the chain, runs it, and returns the run once its middle step runs. */
    private JsonNode startAndAwaitMiddle(Cli cli, NodeHttp api) throws Exception {
        cli.ok("apply", "-f", pipeline().toString());
        cli.ok("run", "pipeline", "chain");
        // the attempt is recorded before its launch ends on a launcher thread: wait until it names its monitor
        return NodeHttp.await(60, () -> api.run("chain-000001"), r -> NodeHttp.attempts(r, "middle").stream()
                .anyMatch(a -> a.path("monitorPid").asLong() > 0));
    }

    @Test
    void theRunningStepIsReadoptedAndFinishedStepsAreNotRedone() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        Agent agent = new Agent(data, port).start();
        try {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            JsonNode before = startAndAwaitMiddle(cli, api);
            long middlePid = NodeHttp.attempts(before, "middle").get(0).path("monitorPid").asLong();
            Path ws = Path.of(before.path("workspace").asText());
            String first = Files.readString(ws.resolve("steps/first/out/first.txt"));

            agent.kill9();
            assertThat(ProcessHandle.of(middlePid).map(ProcessHandle::isAlive)).contains(true);
            agent = new Agent(data, port).start();
            cli.ok("wait", "run", "chain-000001", "--timeout", "60s");

            JsonNode after = api.run("chain-000001");
            assertThat(after.path("state").asText()).isEqualTo("succeeded");
            assertThat(NodeHttp.attempts(after, "first")).hasSize(1);
            List<JsonNode> middle = NodeHttp.attempts(after, "middle");
            assertThat(middle).hasSize(1);
            assertThat(middle.get(0).path("monitorPid").asLong()).isEqualTo(middlePid);
            assertThat(NodeHttp.attempts(after, "last")).hasSize(1);
            assertThat(Files.readString(ws.resolve("steps/first/out/first.txt"))).isEqualTo(first);
            assertThat(Files.readString(ws.resolve("steps/middle/out/middle.txt"))).isEqualTo(first);
            assertThat(api.runs()).hasSize(1);
        } finally {
            agent.close();
        }
    }

    @Test
    void aStepWhoseMonitorDiedWithTheAgentRunsAgainOnce() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        Agent agent = new Agent(data, port).start();
        try {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            JsonNode before = startAndAwaitMiddle(cli, api);
            Path runDir = tmp.resolve("node/pipelines/runs/chain-000001/middle/1");
            long shimPid = Long.parseLong(Files.readString(runDir.resolve("pid")).replaceAll("(?s).*shim=(\\d+).*", "$1"));
            long middlePid = NodeHttp.attempts(before, "middle").get(0).path("monitorPid").asLong();

            agent.kill9();
            // as after a power cycle: the shim and everything under it are gone, and no exit was recorded
            ProcessHandle.of(shimPid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(middlePid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            ProcessHandle.of(middlePid).ifPresent(p -> p.onExit().join());
            new ProcessBuilder("runc", "delete", "--force", "chain-000001-middle").start().waitFor();
            Files.deleteIfExists(runDir.resolve("exit"));

            agent = new Agent(data, port).start();
            cli.ok("wait", "run", "chain-000001", "--timeout", "60s");
            JsonNode after = api.run("chain-000001");
            assertThat(after.path("state").asText()).isEqualTo("succeeded");
            assertThat(NodeHttp.attempts(after, "first")).hasSize(1);
            List<JsonNode> middle = NodeHttp.attempts(after, "middle");
            assertThat(middle).extracting(m -> m.path("state").asText()).containsExactly("interrupted", "succeeded");
            assertThat(NodeHttp.attempts(after, "last")).hasSize(1);
            assertThat(api.runs()).hasSize(1);
        } finally {
            agent.close();
        }
    }
}
