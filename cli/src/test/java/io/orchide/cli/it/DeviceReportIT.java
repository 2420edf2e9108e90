package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's devices and its broker's decisions reach ground, with real ground and node processes: ground lists the
 * satellite's devices as the node reported them, and a refused request is in ground's audit log.
 */
class DeviceReportIT {
    @TempDir
    Path tmp;

    @Test
    void groundShowsTheSatellitesDevicesAndTheBrokersDecisions() throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), """
                discover: false
                devices:
                  - {name: camera-1, class: camera, properties: {gain: "2"}}
                  - {name: gnss-1, class: gnss}
                  - {name: gpu-0, class: gpu}
                """);
        Path grant = Files.writeString(tmp.resolve("grant.yaml"), """
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: probe-camera, tenant: ocean-team}
                spec: {device: camera-1, apps: [probe], verbs: [read], windows: {utc: ["00:00-00:01"]}}
                """);
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Agent agent = new Agent(tmp.resolve("n1"), Fixtures.freePort(), "--satellite", "sat-1", "--ground",
                    ground.link(), "--ground-key", ground.publicKey().toString(), "--node-name", "n1",
                    "--devices", devices.toString());
            try (Agent node = ground.registered("sat-1", agent).start()) {
                Cli g = ground.cli();
                NodeHttp gh = ground.http();
                JsonNode items = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/devices").path("items"),
                        i -> i.size() == 3);
                assertThat(items.get(0).path("desired").path("gain").asText()).isEqualTo("2");
                assertThat(g.ok("get", "devices", "--satellite", "sat-1"))
                        .containsPattern("n1\\s+camera-1\\s+camera\\s+ready\\s+-")
                        .containsPattern("n1\\s+gnss-1\\s+gnss\\s+ready\\s+-")
                        .containsPattern("n1\\s+gpu-0\\s+gpu\\s+ready\\s+-");
                // the node's hello names its accelerators
                JsonNode n1 = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1").path("nodes").path(0),
                        n -> n.path("accelerators").size() == 1);
                assertThat(n1.path("accelerators").get(0).path("name").asText()).isEqualTo("gpu-0");
                assertThat(n1.path("accelerators").get(0).path("class").asText()).isEqualTo("gpu");

                // ground carries no grants yet: it refuses one, naming the kind
                Cli.Result refused = g.run("apply", "-f", grant.toString(), "--satellite", "sat-1");
                assertThat(refused.status()).isNotZero();
                assertThat(refused.err()).contains("DeviceGrant probe-camera is applied on the node");

                node.cli().ok("apply", "-f", grant.toString());
                Path dir = tmp.resolve("n1/broker/app-probe.d");
                NodeHttp.await(30, () -> Files.isDirectory(dir.resolve("req")), b -> b);
                // outside the grant's one-minute window, unless the test runs at 00:00 UTC
                Files.writeString(dir.resolve("req/q.tmp"), "{\"id\": \"q\", \"verb\": \"read\", \"device\": \"camera-1\"}");
                Files.move(dir.resolve("req/q.tmp"), dir.resolve("req/q.json"));
                String answer = NodeHttp.await(30, () -> Files.exists(dir.resolve("resp/q.json"))
                        ? Files.readString(dir.resolve("resp/q.json")) : "", s -> !s.isEmpty());
                assertThat(answer).containsAnyOf("outside_window", "\"ok\":true");
                NodeHttp.await(60, () -> gh.get("/api/v1/audit?actor=satellite:sat-1/n1").path("items").toString(),
                        s -> s.contains("satellites/sat-1/devices/camera-1") && s.contains("by the device broker"));
            }
        }
    }
}
