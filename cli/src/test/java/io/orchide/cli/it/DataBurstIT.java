package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of 1,000 files in a watched dataset: exactly 1,000 runs, none lost or doubled, also across a restart. */
class DataBurstIT {
    @TempDir
    Path tmp;

    @Test
    void aThousandFilesMakeExactlyAThousandRuns() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        // one vCPU held by a workload: the runs stay queued, so only their creation is measured here
        Agent agent = new Agent(data, port, "--vcpus", "1").start();
        try {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            cli.ok("apply", "-f", Fixtures.container(tmp, "holder", "sleep 600", 16).toString());
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "ingest",
                    "triggers: [{onData: {dataset: burst, glob: \"*.dat\"}}]",
                    PipelineFixtures.step("read", "cat /in/f/*", "inputs: [{name: f, from: trigger}]")).toString());
            Path dir = data.resolve("datasets/burst");
            for (int i = 0; i < 1000; i++) {
                Files.writeString(dir.resolve(String.format("file-%04d.dat", i)), "payload " + i + "\n");
            }
            Files.writeString(dir.resolve("ignored.txt"), "not matching the glob\n");
            List<JsonNode> runs = NodeHttp.await(240, api::runs, l -> l.size() >= 1000);
            TimeUnit.SECONDS.sleep(2); // anything late or doubled would show now
            runs = api.runs();
            assertThat(runs).hasSize(1000);
            Set<String> files = runs.stream().map(r -> r.path("trigger").path("detail").asText()).collect(Collectors.toSet());
            assertThat(files).hasSize(1000).allMatch(f -> f.matches(".*/file-\\d{4}\\.dat"));
            assertThat(runs).allMatch(r -> r.path("state").asText().equals("queued"));

            agent.close(); // a restart rescans the directory: nothing fires twice
            agent = new Agent(data, port, "--vcpus", "1").start();
            TimeUnit.SECONDS.sleep(2);
            assertThat(api.runs()).hasSize(1000);
            Files.writeString(dir.resolve("file-1000.dat"), "one more\n");
            NodeHttp.await(30, api::runs, l -> l.size() == 1001);
            cli.ok("delete", "pipeline", "ingest");
            // every run of the deleted pipeline, all 1,001 of them, is cancelled (an empty list would not do)
            assertThat(api.runs()).hasSize(1001).allMatch(r -> r.path("state").asText().equals("cancelled"));
            cli.ok("delete", "workload", "holder");
        } finally {
            agent.close();
        }
    }
}
