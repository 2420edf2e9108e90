package io.orchide.node.broker;

import io.orchide.model.Manifests;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.device.Camera;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.Frame;
import io.orchide.node.device.Position;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.testkit.BrokerClient;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real process, as a workload would, asks the broker through its socket. */
class BrokerSocketTest {
    private static final Instant T0 = Instant.parse("2026-06-21T12:00:00Z");
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private NodeDatabase db;
    private AuditTrail audit;
    private BrokerSocket socket;

    @BeforeEach
    void setUp() throws Exception {
        NodeLayout layout = NodeLayout.of(dir.resolve("node"));
        db = NodeDatabase.open(layout);
        audit = new AuditTrail(db.writer(), clock);
        GrantStore grants = new GrantStore(db.writer(), clock);
        grants.apply(Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera, tenant: ocean-team}
                spec: {device: camera-1, pipelines: [ship-detect], verbs: [capture, read], quota: {perOrbit: 1}}
                """));
        // a quota counts every request its grant allows: reads beyond it take a grant of their own
        grants.apply(Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera-read, tenant: ocean-team}
                spec: {device: camera-1, verbs: [read]}
                """));
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera, properties: {gain: "2"}}]
                """), List.of());
        Broker broker = new Broker(twin, grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock,
                t -> new Position(t, 48, 2, 500_000), Duration.ofMinutes(95), audit::record);
        Camera camera = new Camera() {
            @Override public String name() { return "camera-1"; }

            @Override public Frame capture(Position where) {
                return new Frame(where.time(), where, Frame.canonicalName("camera-1", where.time()),
                        "P5 1 1 255 x".getBytes(StandardCharsets.US_ASCII));
            }
        };
        broker.handle("camera-1", new CameraHandler(camera, t -> new Position(t, 48, 2, 500_000), clock,
                layout::dataset, (c, ds) -> ds.equals("scenes") && c.tenant().equals("ocean-team"), new TwinHandler(twin)));
        Caller ships = new Caller("ocean-team", "pipeline", "ship-detect", 50);
        socket = BrokerSocket.open(layout.brokerSocket(ships.kind(), ships.name()), () -> ships, broker);
    }

    @AfterEach
    void tearDown() throws Exception {
        socket.close();
        db.close();
    }

    private List<String> client(String... requests) throws Exception {
        return BrokerClient.ask(socket.path(), requests);
    }

    @Test
    void aProcessCapturesIntoADatasetThenIsRefusedOverItsQuotaAndBothAreAudited() throws Exception {
        List<String> answers = client("{\"verb\": \"capture\", \"device\": \"camera-1\", \"dataset\": \"scenes\"}",
                "{\"verb\": \"capture\", \"device\": \"camera-1\", \"dataset\": \"scenes\"}",
                "{\"verb\": \"read\", \"device\": \"camera-1\"}");

        assertThat(answers).hasSize(3);
        assertThat(answers.get(0)).contains("\"id\":0", "\"ok\":true", "\"grant\":\"ocean-camera\"",
                "\"file\":\"scene-camera-1-20260621T120000Z.pgm\"");
        assertThat(dir.resolve("node/datasets/scenes/scene-camera-1-20260621T120000Z.pgm")).exists();
        assertThat(answers.get(1)).contains("\"id\":1", "\"ok\":false", "\"code\":\"quota_exceeded\"", "1 per orbit");
        assertThat(answers.get(2)).contains("\"ok\":true", "\"grant\":\"ocean-camera-read\"", "\"desired\":{\"gain\":\"2\"}");
        assertThat(audit.recent(3)).extracting(StatusReport.Audit::verb, StatusReport.Audit::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("read", "allowed"),
                org.assertj.core.groups.Tuple.tuple("capture", "refused"),
                org.assertj.core.groups.Tuple.tuple("capture", "allowed"));
    }

    @Test
    void aRequestThatDoesNotReadNamesTheFieldAndADatasetItMayNotWriteIsRefused() throws Exception {
        List<String> answers = client("{\"verb\": \"shoot\", \"device\": \"camera-1\"}",
                "{\"verb\": \"capture\", \"device\": \"camera-1\", \"dataset\": \"other\"}");
        assertThat(answers.get(0)).contains("\"ok\":false", "\"code\":\"invalid\"", "\"field\":\"verb\"", "shoot");
        assertThat(answers.get(1)).contains("\"ok\":false", "\"field\":\"dataset\"", "may not write");
        assertThat(dir.resolve("node/datasets/other")).doesNotExist();
    }
}
