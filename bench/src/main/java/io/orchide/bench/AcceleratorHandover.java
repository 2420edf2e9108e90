package io.orchide.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accelerator hand-over between two tenants' steps, on a real agent ({@code ./orchide node}) with one simulated GPU
 * declared in its devices file: pipelines of {@code ocean-team} and {@code forest-team}, each one process step
 * ({@code bwrap}, {@code /bin/true}) asking for the GPU; each round asks for a run of each at once, so the run queue
 * admits one and holds the other until the GPU is given back. The figure is, per round, the second step's attempt
 * {@code startedAt} (its monitor started) less the first step's attempt {@code endedAt} (its exit seen, the GPU
 * released): both as the agent records them, to the millisecond. Median and max of {@code bench.rounds} (30) after
 * 3 warm-up rounds.
 */
public final class AcceleratorHandover {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 30);
    private static final int WARMUP = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AcceleratorHandover() {
    }

    public static void main(String[] args) throws Exception {
        Path devices = Files.createTempFile("handover-devices", ".yaml");
        Files.writeString(devices, """
                discover: false
                devices:
                  - {name: gpu-0, class: gpu}
                """);
        try (BenchAgent a = new BenchAgent("--vcpus", "8", "--memory-mib", "4096", "--devices", devices.toString())) {
            for (String tenant : List.of("ocean-team", "forest-team")) {
                var r = a.post("/api/v1/apply", """
                        apiVersion: orchide.io/v1
                        kind: Pipeline
                        metadata: {name: gpu-%s, tenant: %s}
                        spec:
                          preemptible: false
                          steps:
                            - name: infer
                              template:
                                image: /bin/true
                                runtime: {family: process, monitor: bwrap}
                                resources: {vcpus: 1, memoryMiB: 16, accelerators: [{class: gpu}]}
                        """.formatted(tenant, tenant));
                if (r.statusCode() >= 300) throw new IllegalStateException("apply: " + r.statusCode() + " " + r.body());
            }
            List<Long> gaps = new ArrayList<>();
            for (int round = -WARMUP; round < ROUNDS; round++) {
                String first = run(a, "gpu-ocean-team"), second = run(a, "gpu-forest-team");
                JsonNode one = awaitEnd(a, first), two = awaitEnd(a, second);
                JsonNode s1 = one.path("stepRuns").path(0), s2 = two.path("stepRuns").path(0);
                if (!"succeeded".equals(one.path("state").asText()) || !"succeeded".equals(two.path("state").asText())) {
                    throw new IllegalStateException("a run did not succeed: " + one + " " + two);
                }
                // whichever the queue admitted first hands the GPU to the other
                long end1 = millis(s1.path("endedAt").asText()), start1 = millis(s1.path("startedAt").asText());
                long end2 = millis(s2.path("endedAt").asText()), start2 = millis(s2.path("startedAt").asText());
                if (start2 < end1 && start1 < end2) throw new IllegalStateException("both held the GPU: " + one + " " + two);
                long gap = start2 >= end1 ? start2 - end1 : start1 - end2;
                if (round >= 0) gaps.add(gap);
            }
            gaps.sort(null);
            System.out.println(String.format(Locale.ROOT,
                    "GPU hand-over between two tenants' steps (first step's exit seen -> second step's monitor started), "
                            + "%d rounds: median %d ms, max %d ms (the agent's timestamps, millisecond precision)",
                    ROUNDS, gaps.get(gaps.size() / 2), gaps.getLast()));
        } finally {
            Files.deleteIfExists(devices);
        }
    }

    private static String run(BenchAgent a, String pipeline) throws Exception {
        var r = a.post("/api/v1/pipelines/" + pipeline + "/runs", "{}");
        if (r.statusCode() >= 300) throw new IllegalStateException("run " + pipeline + ": " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body()).path("name").asText();
    }

    private static JsonNode awaitEnd(BenchAgent a, String run) throws Exception {
        for (int i = 0; i < 6000; i++) {
            JsonNode d = JSON.readTree(a.get("/api/v1/runs/" + run).body());
            String state = d.path("state").asText();
            if (!state.equals("queued") && !state.equals("running")) return d;
            Thread.sleep(10);
        }
        throw new IllegalStateException("run " + run + " did not end within 60 s");
    }

    private static long millis(String instant) {
        return ChronoUnit.MILLIS.between(Instant.EPOCH, Instant.parse(instant));
    }
}
