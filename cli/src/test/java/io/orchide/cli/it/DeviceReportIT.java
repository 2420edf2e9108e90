package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's devices, grants given on ground and the broker's decisions, with real ground and node processes: ground lists
 * the satellite's devices as the node reported them; an operator's grants go up as desired state (a tenant's admin's are
 * refused), the node's broker then allows the granted tenant's app and refuses another tenant's, both decisions reach
 * ground's audit log, and a grant withdrawn on ground is withdrawn on board.
 */
class DeviceReportIT {
    @TempDir
    Path tmp;

    /** Asks the broker through a request directory, as a unikernel does, for a read of camera-1; the answer. */
    private static String ask(Path dir, String id) throws Exception {
        Files.writeString(dir.resolve("req/" + id + ".tmp"), "{\"id\": \"" + id + "\", \"verb\": \"read\", \"device\": \"camera-1\"}");
        Files.move(dir.resolve("req/" + id + ".tmp"), dir.resolve("req/" + id + ".json"));
        Path answer = dir.resolve("resp/" + id + ".json");
        return NodeHttp.await(30, () -> Files.exists(answer) ? Files.readString(answer) : "", a -> !a.isEmpty());
    }

    /** A GGA sentence with a fix over Munich taken now (UTC), with its checksum. */
    private static String ggaNow() {
        String body = "GPGGA," + java.time.LocalTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("HHmmss")) + ",4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,";
        int sum = 0;
        for (char c : body.toCharArray()) sum ^= c;
        return "$" + body + "*" + String.format("%02X", sum) + "\n";
    }

    @Test
    void groundShowsTheSatellitesDevicesAndTheBrokersDecisions() throws Exception {
        Path nmea = Files.writeString(tmp.resolve("gnss.nmea"), ggaNow());
        // the fix may age as long as the test lasts: its age is shown, never asserted
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), """
                discover: false
                devices:
                  - {name: camera-1, class: camera, properties: {gain: "2"}}
                  - {name: gnss-1, class: gnss, path: %s}
                  - {name: gpu-0, class: gpu}
                position: {gnss: gnss-1, maxFixAge: 1h}
                """.formatted(nmea));
        Path grants = Files.writeString(tmp.resolve("grants.yaml"), """
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: probe-camera, tenant: ocean-team}
                spec: {device: camera-1, apps: [probe], verbs: [read], quota: {perOrbit: 40}}
                ---
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: scout-gnss, tenant: fire-team}
                spec: {device: gnss-1, apps: [scout], verbs: [read]}
                """);
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            try (Agent node = ground.registeredNode(tmp.resolve("n1"), "--devices", devices.toString()).start()) {
                Cli g = ground.cli();
                NodeHttp gh = ground.http();
                JsonNode items = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/devices").path("items"),
                        i -> i.size() == 3);
                assertThat(items.get(0).path("desired").path("gain").asText()).isEqualTo("2");
                assertThat(g.ok("get", "devices", "--satellite", "sat-1"))
                        .containsPattern("n1\\s+camera-1\\s+camera\\s+ready\\s+-")
                        .containsPattern("n1\\s+gnss-1\\s+gnss\\s+ready\\s+-")
                        .containsPattern("n1\\s+gpu-0\\s+gpu\\s+ready\\s+-");
                // where the node is: on the node, then on ground from its status reports
                assertThat(NodeHttp.await(60, () -> node.cli().ok("get", "devices"), out -> out.contains("POSITION: 48")))
                        .containsPattern("gnss-1\\s+gnss\\s+ready\\s+-\\s+position source")
                        .contains("POSITION: 48.1173N 11.5167E, 592 m, fix of ").contains("from gnss gnss-1; source: gnss gnss-1");
                assertThat(NodeHttp.await(60, () -> g.ok("get", "satellites"), out -> out.contains("48.12N")))
                        .containsPattern("sat-1 .*48\\.12N 11\\.52E \\d+s old");
                assertThat(g.ok("describe", "satellite", "sat-1")).contains("  n1: 48.1173N 11.5167E, 592 m, fix of ")
                        .contains("from gnss gnss-1");
                assertThat(g.ok("get", "devices", "--satellite", "sat-1")).contains("POSITION n1: 48.1173N 11.5167E");

                // the node's hello names its accelerators
                JsonNode n1 = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1").path("nodes").path(0),
                        n -> n.path("accelerators").size() == 1);
                assertThat(n1.path("accelerators").get(0).path("name").asText()).isEqualTo("gpu-0");
                assertThat(n1.path("accelerators").get(0).path("class").asText()).isEqualTo("gpu");

                g.ok("create", "tenant", "ocean-team");
                g.ok("create", "tenant", "fire-team");
                Cli fireAdmin = new Cli(ground.server(), g.ok("create", "token", "--tenant", "fire-team", "--role",
                        "tenant-admin").strip());
                Cli.Result refused = fireAdmin.run("apply", "-f", grants.toString(), "--satellite", "sat-1");
                assertThat(refused.status()).as("a tenant's own roles give no grant").isNotZero();
                assertThat(refused.err()).contains("forbidden").contains("device grants are given by role platform-admin or operator");

                Cli operator = new Cli(ground.server(), g.ok("create", "token", "--role", "operator").strip());
                operator.ok("apply", "-f", grants.toString(), "--satellite", "sat-1");
                assertThat(operator.ok("get", "devicegrants", "--satellite", "sat-1"))
                        .containsPattern("probe-camera\\s+ocean-team\\s+camera-1\\s+app/probe\\s+read\\s+always\\s+40/orbit")
                        .containsPattern("scout-gnss\\s+fire-team\\s+gnss-1\\s+app/scout\\s+read");
                assertThat(fireAdmin.ok("get", "devicegrants", "--satellite", "sat-1")).as("a tenant reads its own grants only")
                        .contains("scout-gnss").doesNotContain("probe-camera");

                // delivered as desired state: the node's broker opens a request directory for each app a grant names
                Path probe = tmp.resolve("n1/broker/app-probe.d"), scout = tmp.resolve("n1/broker/app-scout.d");
                NodeHttp.await(60, () -> Files.isDirectory(probe.resolve("req")) && Files.isDirectory(scout.resolve("req")), b -> b);
                assertThat(node.cli().ok("get", "devicegrants")).contains("probe-camera").contains("scout-gnss");
                assertThat(ask(probe, "p1")).as("the tenant the grant names").contains("\"ok\":true");
                assertThat(ask(scout, "s1")).as("another tenant's app").contains("\"ok\":false").contains("no_grant");
                NodeHttp.await(60, () -> gh.get("/api/v1/audit?actor=satellite:sat-1/n1").path("items").toString(),
                        s -> s.contains("satellites/sat-1/devicegrants/probe-camera") // applied on board, from ground
                                && s.contains("by the device broker: app probe: under grant probe-camera")
                                && s.contains("no grant gives device camera-1 to app scout of tenant fire-team"));

                operator.ok("delete", "devicegrant", "scout-gnss", "--satellite", "sat-1");
                NodeHttp.await(60, () -> node.cli().ok("get", "devicegrants"), out -> !out.contains("scout-gnss"));
                assertThat(operator.ok("get", "devicegrants", "--satellite", "sat-1")).doesNotContain("scout-gnss");
            }
        }
    }
}
