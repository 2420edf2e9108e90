package io.orchide.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.node.api.NodeToken;
import io.orchide.node.device.DeviceDiscovery;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Devices and grants through the agent's local API: the inventory, a grant applied and deleted, its pull socket. */
class DeviceApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRANT = """
            apiVersion: orchide.io/v1
            kind: DeviceGrant
            metadata: {name: ocean-camera, tenant: ocean-team}
            spec: {device: camera-1, pipelines: [ship-detect], verbs: [capture], quota: {perOrbit: 40}}
            """;

    @TempDir
    Path dir;

    private NodeAgent agent;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir.resolve("node")).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private NodeAgent start() throws Exception {
        return start(DevicesFile.parse("""
                devices:
                  - {name: camera-1, class: camera, properties: {gain: "2"}}
                """));
    }

    private NodeAgent start(DevicesFile devices) throws Exception {
        Path sys = dir.resolve("sys");
        Files.createDirectories(sys.resolve("class/net/can0"));
        Files.writeString(sys.resolve("class/net/can0/type"), "280\n");
        NodeConfig cfg = new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512),
                null, null, 64 * 1024, null, null, null, null, devices, new DeviceDiscovery(sys, dir.resolve("dev"), List::of));
        return NodeAgent.start(cfg, rc -> List.of());
    }

    @Test
    void theInventoryAGrantItsSocketAndItsRemovalSurviveARestart() throws Exception {
        Path socket = NodeLayout.of(dir.resolve("node")).brokerSocket("pipeline", "ship-detect");
        agent = start();
        try {
            JsonNode list = JSON.readTree(call("GET", "/api/v1/devices", null).body()).get("items");
            assertThat(list).extracting(n -> n.get("name").asText(), n -> n.get("class").asText(), n -> n.get("state").asText())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("camera-1", "camera", "ready"),
                            org.assertj.core.groups.Tuple.tuple("can0", "can", "ready"));
            JsonNode position = JSON.readTree(call("GET", "/api/v1/devices", null).body()).get("position");
            assertThat(position.get("source").asText()).isEqualTo("none");
            assertThat(position.get("reason").asText()).isEqualTo(io.orchide.node.position.NodePosition.NO_SOURCE);
            assertThat(position.has("fix")).isFalse();

            assertThat(call("POST", "/api/v1/apply", GRANT).statusCode()).isEqualTo(201);
            assertThat(socket).exists();
            JsonNode camera = JSON.readTree(call("GET", "/api/v1/devices/camera-1", null).body());
            assertThat(camera.get("desired").get("gain").asText()).isEqualTo("2");
            assertThat(camera.get("pending").get("gain").asText()).isEqualTo("2");
            assertThat(camera.get("grants").get(0).get("name").asText()).isEqualTo("ocean-camera");
            assertThat(camera.get("grants").get(0).get("quota").get("perOrbit").asInt()).isEqualTo(40);
            assertThat(camera.get("grants").get(0).get("use").get("thisOrbit").asInt()).isZero();
            assertThat(call("GET", "/api/v1/devices/radio-9", null).statusCode()).isEqualTo(404);
            JsonNode audit = JSON.readTree(call("GET", "/api/v1/audit?limit=1", null).body()).get("items").get(0);
            assertThat(audit.get("kind").asText()).isEqualTo("DeviceGrant");
        } finally {
            agent.close();
        }
        assertThat(socket).doesNotExist();
        agent = start();
        try {
            assertThat(socket).exists();
            assertThat(JSON.readTree(call("GET", "/api/v1/devicegrants", null).body()).get("items")).hasSize(1);
            assertThat(call("DELETE", "/api/v1/devicegrants/ocean-camera", null).statusCode()).isEqualTo(200);
            assertThat(socket).doesNotExist();
            assertThat(call("DELETE", "/api/v1/devicegrants/ocean-camera", null).statusCode()).isEqualTo(404);
        } finally {
            agent.close();
        }
    }

    @Test
    void theListSaysWhereTheNodeIsAndMarksTheReceiverItsPositionComesFrom() throws Exception {
        String time = java.time.LocalTime.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("HHmmss"));
        String body = "GPGGA," + time + ",4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,";
        int sum = 0;
        for (char ch : body.toCharArray()) sum ^= ch;
        Path nmea = Files.writeString(dir.resolve("gnss.nmea"), "$" + body + "*" + String.format("%02X", sum) + "\n");
        agent = start(DevicesFile.parse("""
                devices:
                  - {name: camera-1, class: camera}
                  - {name: gnss-1, class: gnss, path: %s}
                position: {gnss: gnss-1, maxFixAge: 1h}
                """.formatted(nmea)));
        try {
            org.awaitility.Awaitility.await().until(() -> JSON.readTree(call("GET", "/api/v1/devices", null).body())
                    .get("position").has("fix"));
            JsonNode list = JSON.readTree(call("GET", "/api/v1/devices", null).body());
            JsonNode position = list.get("position");
            assertThat(position.get("source").asText()).startsWith("gnss gnss-1");
            assertThat(position.get("device").asText()).isEqualTo("gnss-1");
            assertThat(position.get("fix").get("from").asText()).isEqualTo("gnss gnss-1");
            assertThat(position.get("fix").get("latitudeDeg").asDouble()).isBetween(48.117, 48.118);
            assertThat(position.get("fix").get("longitudeDeg").asDouble()).isBetween(11.516, 11.517);
            assertThat(position.get("fix").has("ageSeconds")).isTrue();
            assertThat(list.get("items")).filteredOn(d -> d.has("positionSource"))
                    .extracting(d -> d.get("name").asText()).containsExactly("gnss-1");
            assertThat(JSON.readTree(call("GET", "/api/v1/devices/gnss-1", null).body()).get("positionSource").asBoolean())
                    .isTrue();
        } finally {
            agent.close();
        }
    }
}
