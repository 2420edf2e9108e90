package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On a node limited to one vCPU: runs start in the queue's order, aging lifts a starved run, preemption. */
class PipelineQueueIT {
    @TempDir
    Path tmp;

    @Test
    void fiftyRunsStartByPriorityThenDeadlineThenArrival() throws Exception {
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort(), "--vcpus", "1",
                "--aging-step", "0").start()) {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "blocker", "priority: 100",
                    PipelineFixtures.step("hold", "sleep 600", "")).toString());
            String[][] kinds = {{"low", "priority: 20"}, {"mid", "priority: 50"}, {"mid-late", "priority: 50\ndeadline: 1h"},
                    {"mid-soon", "priority: 50\ndeadline: 10m"}, {"high", "priority: 80"}};
            for (String[] k : kinds) {
                cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, k[0], k[1] + "\nconcurrency: 64",
                        PipelineFixtures.step("work", "true", "")).toString());
            }
            cli.ok("run", "pipeline", "blocker");
            NodeHttp.await(60, () -> api.run("blocker-000001"), r -> r.path("state").asText().equals("running"));
            for (int i = 0; i < 50; i++) api.post("/api/v1/pipelines/" + kinds[(i * 7) % kinds.length][0] + "/runs", "{}");
            assertThat(api.runs().stream().filter(r -> r.path("state").asText().equals("queued"))).hasSize(50);

            cli.ok("cancel", "run", "blocker-000001");
            List<JsonNode> done = NodeHttp.await(300, api::runs, l -> l.stream()
                    .filter(r -> r.path("state").asText().equals("succeeded")).count() == 50);
            List<JsonNode> work = new ArrayList<>(done.stream().filter(r -> !r.path("pipeline").asText().equals("blocker")).toList());
            List<String> started = work.stream().sorted(Comparator.comparing(r -> Instant.parse(r.path("startedAt").asText())))
                    .map(r -> r.path("name").asText()).toList();
            List<String> expected = work.stream().sorted(Comparator
                    .comparing((JsonNode r) -> -r.path("priority").asInt())
                    .thenComparing(r -> r.path("deadline").isNull() ? Instant.MAX : Instant.parse(r.path("deadline").asText()))
                    .thenComparing(r -> r.path("id").asLong())).map(r -> r.path("name").asText()).toList();
            assertThat(started).containsExactlyElementsOf(expected);
            assertThat(started.get(0)).startsWith("high-");
            assertThat(started.get(10)).startsWith("mid-soon-");
            assertThat(started.get(49)).startsWith("low-");
        }
    }

    @Test
    void agingLiftsAStarvedRunAboveLaterMoreImportantOnes() throws Exception {
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort(), "--vcpus", "1",
                "--aging-step", "300ms").start()) {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "blocker", "priority: 100",
                    PipelineFixtures.step("hold", "sleep 600", "")).toString());
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "starved", "priority: 10",
                    PipelineFixtures.step("work", "true", "")).toString());
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "busy", "priority: 12\nconcurrency: 8",
                    PipelineFixtures.step("work", "true", "")).toString());
            cli.ok("run", "pipeline", "blocker");
            NodeHttp.await(60, () -> api.run("blocker-000001"), r -> r.path("state").asText().equals("running"));
            cli.ok("run", "pipeline", "starved");
            // it waits: every 300 ms it gains a point
            JsonNode aged = NodeHttp.await(30, () -> api.run("starved-000002"), r -> r.path("effectivePriority").asInt() >= 16);
            assertThat(aged.path("priority").asInt()).isEqualTo(10);
            for (int i = 0; i < 3; i++) cli.ok("run", "pipeline", "busy");
            cli.ok("cancel", "run", "blocker-000001");
            List<JsonNode> done = NodeHttp.await(120, api::runs, l -> l.stream()
                    .filter(r -> r.path("state").asText().equals("succeeded")).count() == 4);
            JsonNode first = done.stream().filter(r -> !r.path("pipeline").asText().equals("blocker"))
                    .min(Comparator.comparing(r -> Instant.parse(r.path("startedAt").asText()))).orElseThrow();
            assertThat(first.path("name").asText()).isEqualTo("starved-000002");
        }
    }

    @Test
    void aCriticalRunPreemptsALowPriorityStepWhichResumesWithoutRedoingItsFinishedSteps() throws Exception {
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort(), "--vcpus", "1").start()) {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "survey", "priority: 20\npreemptible: true",
                    PipelineFixtures.step("first", "echo done > /out/first.txt", "outputs: [{name: f, path: first.txt}]")
                            + PipelineFixtures.step("long", "trap 'exit 143' TERM; echo partial > /out/partial.txt; "
                                    + "sleep 10 & wait $!; echo whole > /out/whole.txt",
                            "after: [first]\noutputs: [{name: w, path: whole.txt}]")).toString());
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "alert", "priority: 95",
                    PipelineFixtures.step("now", "echo alert; sleep 2", "")).toString());
            cli.ok("run", "pipeline", "survey");
            JsonNode running = NodeHttp.await(60, () -> api.run("survey-000001"),
                    r -> r.path("steps").toString().contains("long"));
            long victimPid = NodeHttp.attempts(running, "long").get(0).path("monitorPid").asLong();
            String firstStarted = NodeHttp.attempts(running, "first").get(0).path("startedAt").asText();

            // the alert holds the only vCPU for 2 s, so the survey is seen back in the queue meanwhile
            cli.ok("run", "pipeline", "alert");
            JsonNode requeued = NodeHttp.await(60, () -> api.run("survey-000001"),
                    r -> r.path("state").asText().equals("queued"));
            assertThat(requeued.path("reason").asText()).contains("preempted by run alert-000002");
            assertThat(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            cli.ok("wait", "run", "alert-000002", "--timeout", "60s");
            cli.ok("wait", "run", "survey-000001", "--timeout", "120s");

            JsonNode survey = api.run("survey-000001");
            assertThat(survey.path("state").asText()).isEqualTo("succeeded");
            List<JsonNode> first = NodeHttp.attempts(survey, "first");
            assertThat(first).hasSize(1);
            assertThat(first.get(0).path("startedAt").asText()).isEqualTo(firstStarted);
            List<JsonNode> longs = NodeHttp.attempts(survey, "long");
            assertThat(longs).hasSize(1); // the preempted attempt was discarded with its partial output
            assertThat(longs.get(0).path("monitorPid").asLong()).isNotEqualTo(victimPid);
            JsonNode alert = api.run("alert-000002");
            assertThat(Instant.parse(alert.path("endedAt").asText()))
                    .isBefore(Instant.parse(longs.get(0).path("startedAt").asText()));
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    @Test
    void deletingAPipelineCancelsItsRunningRunStoppingItsStepAndItsQueuedRuns() throws Exception {
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort(), "--vcpus", "1").start()) {
            Cli cli = agent.cli();
            NodeHttp api = agent.http();
            cli.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "survey", "",
                    PipelineFixtures.step("hold", "sleep 600", "")).toString());
            cli.ok("run", "pipeline", "survey");
            JsonNode running = NodeHttp.await(60, () -> api.run("survey-000001"),
                    r -> r.path("state").asText().equals("running") && NodeHttp.attempts(r, "hold").stream()
                            .anyMatch(a -> a.path("monitorPid").asLong() > 0));
            long stepPid = NodeHttp.attempts(running, "hold").get(0).path("monitorPid").asLong();
            cli.ok("run", "pipeline", "survey"); // the only vCPU is held: this one waits in the queue
            NodeHttp.await(60, () -> api.run("survey-000002"), r -> r.path("state").asText().equals("queued"));

            assertThat(cli.ok("delete", "pipeline", "survey")).contains("run/survey-000001 cancelled")
                    .contains("run/survey-000002 cancelled");
            List<JsonNode> runs = NodeHttp.await(60, api::runs, l -> l.stream()
                    .allMatch(r -> r.path("state").asText().equals("cancelled")));
            assertThat(runs).extracting(r -> r.path("name").asText())
                    .containsExactlyInAnyOrder("survey-000001", "survey-000002");
            assertThat(runs).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("cancelled"));
            // the running step was stopped, not left running for a pipeline that no longer exists
            NodeHttp.await(30, () -> ProcessHandle.of(stepPid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
            assertThat(NodeHttp.attempts(api.run("survey-000001"), "hold")).singleElement()
                    .satisfies(a -> assertThat(a.path("state").asText()).isNotIn("running", "succeeded"));
        }
    }
}
