package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Housekeeping through real ground and node processes: a node with one-second housekeeping intervals sends its
 * summaries within the budget the operator set; ground keeps the satellite's series (its query API and its own
 * /metrics, with {@code satellite} and {@code node} labels), the log summaries of a workload's console (its error
 * line) and of a pipeline step's log, and brings a workload's whole log down on request; the width of the
 * satellite's intervals set on ground reaches the node.
 */
class HousekeepingIT {
    private static final String RUNNING = "orchide_workloads{state=\"Running\"}";

    @TempDir
    Path tmp;

    /**
     * The workload runs for an hour and, as workloads do, outlives the agent: it and the agent's shim spawner are ended
     * here, found by the test's directory, so that they do not weigh on the tests after this one.
     */
    @AfterEach
    void endWorkloads() {
        for (ProcessHandle p : Fixtures.processesMentioning(tmp.toString())) p.destroyForcibly();
    }

    @Test
    void seriesLogSummariesAndAWholeLogReachGround() throws Exception {
        Fixtures.busyboxRootfs();
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            assertThat(ground.cli().ok("set", "telemetry-budget", "sat-1", "1Gi/d")).contains("telemetry budget set: 1073741824 bytes a day");
            try (Agent node = ground.registeredNode(tmp.resolve("n1"), "--housekeeping-interval", "1s").start()) {
                try {
                    housekeepingReachesGround(ground, node);
                } finally {
                    // a container outlives its agent: the node stops it (runc's child is out of the test's reach)
                    node.cli().run("delete", "workload", "noisy");
                }
            }
        }
    }

    private void housekeepingReachesGround(Ground ground, Agent node) throws Exception {
        Cli g = ground.cli();
        NodeHttp gh = ground.http();
        Cli onBoard = node.cli();
        onBoard.ok("apply", "-f", Fixtures.container(tmp, "noisy",
                "echo starting; echo ERROR: sensor 3 unreadable; echo still going; sleep 3600", 16).toString());
        NodeHttp.await(60, () -> node.http().getOrMissing("/api/v1/workloads/noisy").path("state").asText(),
                "Running"::equals);
        onBoard.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "pulse", "triggers: [{onEvent: {name: go}}]",
                PipelineFixtures.step("beat", "echo beat one; echo beat two", "")).toString());
        assertThat(onBoard.ok("event", "go")).contains("pulse-000001");
        NodeHttp.await(60, () -> node.http().run("pulse-000001").path("state").asText(), "succeeded"::equals);

        // the summaries of the console and of the step's log come down, errors counted
        JsonNode logs = NodeHttp.await(120, () -> gh.get("/api/v1/satellites/sat-1/log-summaries").path("items"),
                items -> items.findValuesAsText("subject").containsAll(
                        java.util.List.of("workload/noisy", "run/pulse-000001/beat"))
                        && items.toString().contains("ERROR: sensor 3 unreadable"));
        JsonNode step = find(logs, "run/pulse-000001/beat");
        assertThat(step.path("node").asText()).isEqualTo("n1");
        assertThat(step.path("lines").asLong()).isEqualTo(2);
        assertThat(step.path("first").asText()).isEqualTo("beat one");
        assertThat(step.path("last").asText()).isEqualTo("beat two");
        long errors = 0;
        for (JsonNode l : logs) {
            if (l.path("subject").asText().equals("workload/noisy")) errors += l.path("errorLines").asLong();
        }
        assertThat(errors).isEqualTo(1);

        // the series: on ground's query API and on its /metrics, labelled with the satellite and the node
        java.util.List<String> names = NodeHttp.await(60, () -> texts(gh.get("/api/v1/series/metrics?satellite=sat-1")
                .path("metrics")), m -> m.contains(RUNNING) && m.contains("orchide_runs{state=\"succeeded\"}"));
        assertThat(names).contains("orchide_link_connected");
        JsonNode points = gh.get("/api/v1/series?satellite=sat-1&metric="
                + URLEncoder.encode(RUNNING, StandardCharsets.UTF_8)).path("points");
        assertThat(points).isNotEmpty();
        assertThat(points.get(points.size() - 1).path("last").asDouble()).isEqualTo(1.0);
        NodeHttp.await(60, () -> scrape(ground), t -> t.contains(
                "orchide_satellite_workloads{satellite=\"sat-1\",node=\"n1\",state=\"Running\"} 1 "));
        assertThat(scrape(ground)).contains("orchide_satellite_runs{satellite=\"sat-1\",node=\"n1\",state=\"succeeded\"} 1 ");

        // the whole log, on request: asked once, then shown when it came down
        assertThat(g.ok("logs", "noisy", "--satellite", "sat-1", "--full"))
                .contains("workload/noisy: whole log requested from sat-1");
        String whole = NodeHttp.await(60, () -> g.ok("logs", "noisy", "--satellite", "sat-1", "--full"),
                out -> !out.contains("whole log requested"));
        assertThat(whole).contains("starting\nERROR: sensor 3 unreadable\nstill going\n");

        // the operator widens the satellite's intervals: the setting goes up with the budget and the node says
        // it took it
        assertThat(g.ok("set", "housekeeping-interval", "sat-1", "2s"))
                .contains("satellite/sat-1 housekeeping interval set: 2s (version 2)");
        NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/events").path("items").toString(),
                e -> e.contains("version 2 taken: 1073741824 bytes a day, intervals of 2 s"));
        Cli.Result bad = g.run("set", "housekeeping-interval", "sat-1", "2d");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("interval").contains("2d");
    }

    private static JsonNode find(JsonNode items, String subject) {
        for (JsonNode i : items) {
            if (i.path("subject").asText().equals(subject)) return i;
        }
        throw new AssertionError("no summary of " + subject + " in " + items);
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Ground's /metrics, read as its platform admin. */
    private static String scrape(Ground ground) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ground.server() + "/metrics"))
                .header("Authorization", "Bearer " + ground.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("ground's /metrics: %s", r.body()).isEqualTo(200);
        return r.body();
    }
}
