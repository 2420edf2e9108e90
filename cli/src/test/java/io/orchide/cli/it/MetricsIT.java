package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.testkit.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real node and a real ground, linked, as Debian's Prometheus tools see them: {@code promtool check metrics} finds
 * no problem in either's /metrics (the node's with one pipeline run in its histograms), and a real {@code prometheus} scraping both every second with a bearer token from a
 * file (the node's token; an operator token made with {@code orchide create token}) answers queries about them.
 */
class MetricsIT {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @BeforeAll
    static void prometheusIsInstalled() {
        assumeTrue(Files.isExecutable(PROMTOOL) && Files.isExecutable(PROMETHEUS),
                "MetricsIT skipped: Debian's prometheus package (/usr/bin/prometheus, /usr/bin/promtool) is not installed; "
                        + "./orchide test installs it when run as root");
    }

    private static String scrape(String url, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s/metrics: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    /** What {@code promtool check metrics} says of {@code text}: nothing and exit 0 when it finds no problem. */
    private String promtool(String text) throws Exception {
        Path in = Files.writeString(tmp.resolve("scrape-" + System.nanoTime() + ".txt"), text);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(in.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return "exit " + p.exitValue() + (out.isBlank() ? "" : ": " + out.strip());
    }

    private static JsonNode query(int port, String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        return NodeHttp.JSON.readTree(r.body());
    }

    private static JsonNode targets(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return NodeHttp.JSON.readTree(r.body()).path("data").path("activeTargets");
    }

    @Test
    void promtoolFindsNoProblemAndPrometheusScrapesNodeAndGroundWithTokensFromFiles() throws Exception {
        Fixtures.busyboxRootfs();
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start();
             Agent node = ground.registeredNode(tmp.resolve("n")).start()) {
            // Prometheus gets a token of its own: an operator's, made as security.md says
            String operator = ground.cli().ok("create", "token", "--role", "operator", "--name", "prometheus").strip();
            Path groundToken = Files.writeString(tmp.resolve("ground.token"), operator + "\n");
            Path nodeToken = Files.writeString(tmp.resolve("node.token"), node.token() + "\n");

            // one run of a pipeline on board, so that the histograms have samples
            Cli onBoard = node.cli();
            onBoard.ok("apply", "-f", PipelineFixtures.containerPipeline(tmp, "pulse", "triggers: [{onEvent: {name: go}}]",
                    PipelineFixtures.step("beat", "echo beat", "")).toString());
            assertThat(onBoard.ok("event", "go")).contains("pulse-000001");
            NodeHttp.await(60, () -> node.http().run("pulse-000001").path("state").asText(), "succeeded"::equals);

            // the link is up: both sides have something to say about it
            NodeHttp.await(60, () -> scrape(node.server(), node.token()), t -> t.contains("orchide_link_connected 1\n"));
            NodeHttp.await(60, () -> scrape(ground.server(), operator), t -> t.contains("orchide_ground_satellites_in_contact 1\n"));
            String nodeText = scrape(node.server(), node.token());
            String groundText = scrape(ground.server(), operator);
            assertThat(nodeText).contains("orchide_trigger_latency_seconds_count{trigger=\"event\"} 1\n",
                    "orchide_step_duration_seconds_bucket{pipeline=\"pulse\",state=\"succeeded\",le=\"+Inf\"} 1\n",
                    "orchide_runs{state=\"succeeded\"} 1\n", "process_resident_memory_bytes");
            assertThat(promtool(nodeText)).as("promtool on the node's metrics:\n%s", nodeText).isEqualTo("exit 0");
            assertThat(promtool(groundText)).as("promtool on ground's metrics:\n%s", groundText).isEqualTo("exit 0");

            int port = Fixtures.freePort();
            Path config = Files.writeString(tmp.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: orchide-node
                        authorization: {credentials_file: %s}
                        static_configs: [{targets: ['127.0.0.1:%d'], labels: {satellite: sat-1}}]
                      - job_name: orchide-ground
                        authorization: {credentials_file: %s}
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(nodeToken, node.port, groundToken, ground.apiPort));
            List<String> cmd = List.of(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn");
            Path log = tmp.resolve("prometheus.log");
            try (ServiceProcess prometheus = startPrometheus(cmd, log, port)) {
                JsonNode up = NodeHttp.await(60, () -> query(port, "up"), r -> r.path("data").path("result").size() == 2
                        && r.path("data").path("result").findValues("value").stream().allMatch(v -> v.get(1).asText().equals("1")));
                assertThat(up.path("status").asText()).isEqualTo("success");
                JsonNode connected = NodeHttp.await(30, () -> query(port, "orchide_link_connected{job=\"orchide-node\"}"),
                        r -> r.path("data").path("result").size() == 1).path("data").path("result").get(0);
                assertThat(connected.path("metric").path("satellite").asText()).isEqualTo("sat-1");
                assertThat(connected.path("value").get(1).asText()).isEqualTo("1");
                JsonNode inContact = NodeHttp.await(30, () -> query(port, "orchide_ground_satellites_in_contact"),
                        r -> r.path("data").path("result").size() == 1).path("data").path("result").get(0);
                assertThat(inContact.path("value").get(1).asText()).isEqualTo("1");
                // ground counted Prometheus' own scrapes, allowed by the operator's role
                NodeHttp.await(30, () -> query(port, "orchide_ground_api_requests_total{route=\"metrics\",code=\"200\"}"),
                        r -> r.path("data").path("result").size() == 1
                                && r.path("data").path("result").get(0).path("value").get(1).asDouble() >= 1);
                JsonNode steps = NodeHttp.await(30, () -> query(port, "orchide_step_duration_seconds_count"),
                        r -> r.path("data").path("result").size() == 1).path("data").path("result").get(0);
                assertThat(steps.path("metric").path("pipeline").asText()).isEqualTo("pulse");
                assertThat(steps.path("value").get(1).asText()).isEqualTo("1");
                for (JsonNode t : targets(port)) {
                    assertThat(t.path("health").asText()).as("%s", t).isEqualTo("up");
                }
            }
        }
    }

    /** Prometheus started and answering its HTTP API; its log is in the failure's message otherwise. */
    private static ServiceProcess startPrometheus(List<String> cmd, Path log, int port) throws Exception {
        Files.writeString(log, "");
        ServiceProcess s = ServiceProcess.start(cmd, log, ""); // at warn level it prints nothing when all is well
        try {
            NodeHttp.await(60, () -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (IOException e) {
                    return -1;
                }
            }, c -> c == 200);
        } catch (AssertionError e) {
            s.close();
            throw new AssertionError("prometheus did not become ready: " + Files.readString(log), e);
        }
        return s;
    }
}
