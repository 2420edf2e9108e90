package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.node.NodeAgent;
import io.orchide.node.NodeConfig;
import io.orchide.node.api.NodeToken;
import io.orchide.node.device.DeviceDiscovery;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.Frame;
import io.orchide.node.device.Position;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.orbit.Tle;
import io.orchide.twin.sensor.OrbitPositionSource;
import io.orchide.twin.sensor.SyntheticCamera;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A twin satellite's node, given the hardware the twin gives it (its TLE as position source, its camera's feed),
 * serves captures through its broker: the app whose grant holds over the region the satellite is over gets the twin's
 * newest scene in its dataset; the app whose grant holds over the other side of the Earth is refused.
 */
class TwinCameraThroughBrokerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Tle ISS = new Tle("ISS (ZARYA)",
            "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
            "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537");
    static final Instant NOW = Instant.parse("2008-09-20T12:30:00Z");

    @TempDir
    Path dir;

    @Test
    void theAppGrantedWhereTheSatelliteIsCapturesTheTwinsSceneAndTheOtherIsRefused() throws Exception {
        SatelliteHardware hardware = SatelliteHardware.create(dir.resolve("sat-1-hardware"), ISS);
        OrbitPositionSource orbit = new OrbitPositionSource(ISS);
        Frame older = new SyntheticCamera("sat-1", 7, 16, 16).capture(orbit.at(NOW.minusSeconds(240)));
        Frame newest = new SyntheticCamera("sat-1", 7, 16, 16).capture(orbit.at(NOW.minusSeconds(120)));
        hardware.place(older);
        hardware.place(newest);
        Position here = orbit.at(NOW);

        Path data = dir.resolve("sat-1");
        NodeConfig cfg = new NodeConfig(data, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), null, null, null, DevicesFile.read(hardware.devicesFile()),
                new DeviceDiscovery(dir.resolve("sys"), dir.resolve("dev"), List::of));
        try (NodeAgent agent = NodeAgent.start(cfg)) {
            Api api = new Api(agent, data);
            api.apply("""
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: scenes, tenant: ocean-team}
                    """);
            api.apply(grant("ships-here", "ships", here.latitudeDeg(), here.longitudeDeg()));
            api.apply(grant("clouds-antipode", "clouds", -here.latitudeDeg(),
                    here.longitudeDeg() > 0 ? here.longitudeDeg() - 180 : here.longitudeDeg() + 180));

            assertThat(api.get("/api/v1/devices").path("position").path("source").asText()).startsWith("tle ISS (ZARYA)");
            NodeLayout layout = NodeLayout.of(data);
            JsonNode ships = ask(layout.brokerSocket("app", "ships"));
            assertThat(ships.path("ok").asBoolean()).as(ships.toString()).isTrue();
            assertThat(ships.path("result").path("file").asText()).isEqualTo(newest.name());
            assertThat(ships.path("result").path("position").path("latitudeDeg").asDouble())
                    .isCloseTo(here.latitudeDeg(), org.assertj.core.api.Assertions.within(1e-9));
            assertThat(layout.dataset("scenes").resolve(newest.name())).hasBinaryContent(newest.content());

            JsonNode clouds = ask(layout.brokerSocket("app", "clouds"));
            assertThat(clouds.path("ok").asBoolean()).isFalse();
            assertThat(clouds.path("code").asText()).isEqualTo("outside_window");
            assertThat(clouds.path("message").asText()).contains("outside the region of grant clouds-antipode");
        }
    }

    @Test
    void theFeedKeepsTheNewestFramesOnlyAndAFrameRetakenUnderItsNameReplacesIt() throws Exception {
        SatelliteHardware hardware = SatelliteHardware.create(dir.resolve("sat-1-hardware"), ISS);
        OrbitPositionSource orbit = new OrbitPositionSource(ISS);
        SyntheticCamera camera = new SyntheticCamera("sat-1", 7, 8, 8);
        List<Frame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < SatelliteHardware.FEED_FRAMES + 3; i++) {
            frames.add(camera.capture(orbit.at(NOW.plusSeconds(60L * i))));
            hardware.place(frames.getLast());
        }
        Frame last = frames.getLast();
        hardware.place(SyntheticCamera.truncated(last));
        try (var files = Files.list(hardware.feed())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(frames
                    .subList(3, frames.size()).stream().map(Frame::name).sorted().toList());
        }
        assertThat(hardware.feed().resolve(last.name())).hasBinaryContent(SyntheticCamera.truncated(last).content());
    }

    private static String grant(String name, String app, double lat, double lon) {
        return String.format(Locale.ROOT, """
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  device: %s
                  apps: [%s]
                  verbs: [capture]
                  windows: {region: {minLat: %.3f, maxLat: %.3f, minLon: %.3f, maxLon: %.3f}}
                """, name, SatelliteHardware.CAMERA, app, Math.max(-90, lat - 5), Math.min(90, lat + 5),
                Math.max(-180, lon - 5), Math.min(180, lon + 5));
    }

    /** One capture request on the broker socket of a workload, as a process would send it. */
    private static JsonNode ask(Path socket) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap(("{\"id\": 1, \"verb\": \"capture\", \"device\": \"" + SatelliteHardware.CAMERA
                    + "\", \"dataset\": \"scenes\"}\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            return JSON.readTree(in.readLine());
        }
    }

    private record Api(NodeAgent agent, Path data) {
        JsonNode get(String path) throws Exception {
            return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).GET()).body());
        }

        void apply(String manifest) throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v1/apply"))
                    .POST(HttpRequest.BodyPublishers.ofString(manifest)));
            assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + agent.address().getPort() + path);
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            String token = NodeToken.read(NodeLayout.of(data).token()).value();
            return HttpClient.newHttpClient().send(b.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
