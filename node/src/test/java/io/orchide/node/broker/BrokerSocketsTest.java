package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.model.DeviceGrant;
import io.orchide.model.Manifests;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The channels of apps and pipelines that declare models: opened without a grant, kept when the grants change, never
 * speaking for another tenant than the one the workload belongs to, and gone with their files once the app or
 * pipeline is (unless a grant still names it).
 */
class BrokerSocketsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private BrokerSockets sockets;

    @BeforeEach
    void setUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("discover: false\n"), List.of());
        Broker broker = new Broker(twin, device -> List.of(), new Leases(clock, Duration.ofMinutes(5)), clock, null,
                Duration.ofMinutes(95), change -> { });
        // answers who the channel says is asking
        broker.handleVerb("whoami", (caller, req) -> VerbHandler.ok(req.get("id"),
                JSON.createObjectNode().put("tenant", caller.tenant()).put("kind", caller.kind()).put("name", caller.name())));
        sockets = new BrokerSockets(broker, (kind, name) -> dir.resolve(kind + "-" + name + ".sock"), (kind, name) -> 0);
    }

    @AfterEach
    void tearDown() {
        sockets.close();
    }

    private static JsonNode whoami(Path socket) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write("{\"id\": 1, \"verb\": \"whoami\"}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            return JSON.readTree(in.readLine()).path("result");
        }
    }

    private static DeviceGrant grant(String tenant, String app) throws Exception {
        return Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: g, tenant: %s}
                spec: {device: camera-1, apps: [%s], verbs: [read]}
                """.formatted(tenant, app));
    }

    @Test
    void aModelUsersChannelOpensWithoutAGrantAndOutlivesAGrantChange() throws Exception {
        Path socket = sockets.forModels("ocean-team", "pipeline", "cloud-infer").orElseThrow();
        assertThat(socket).isEqualTo(dir.resolve("pipeline-cloud-infer.sock"));
        assertThat(BrokerSockets.directoryOf(socket).resolve("req")).isDirectory();

        sockets.refresh(List.of());
        assertThat(sockets.paths()).containsExactly(socket);
        assertThat(whoami(socket).toString()).isEqualTo("{\"tenant\":\"ocean-team\",\"kind\":\"pipeline\",\"name\":\"cloud-infer\"}");
    }

    @Test
    void aGrantOfAnotherTenantNamingTheAppKeepsItsChannelForItself() throws Exception {
        sockets.refresh(List.of(grant("fire-team", "detector")));
        assertThat(sockets.forModels("ocean-team", "app", "detector")).isEmpty();
        assertThat(whoami(dir.resolve("app-detector.sock")).path("tenant").asText()).isEqualTo("fire-team");

        // once no grant names it, the model user's channel takes its place, speaking for the model user's tenant
        sockets.refresh(List.of());
        assertThat(whoami(dir.resolve("app-detector.sock")).path("tenant").asText()).isEqualTo("ocean-team");
    }

    @Test
    void anAppOfTheSameNameInAnotherTenantGetsAChannelOfItsOwn() throws Exception {
        Path first = sockets.forModels("ocean-team", "app", "detector").orElseThrow();
        assertThat(whoami(first).path("tenant").asText()).isEqualTo("ocean-team");

        Path second = sockets.forModels("fire-team", "app", "detector").orElseThrow();
        assertThat(whoami(second).path("tenant").asText()).isEqualTo("fire-team");
    }

    @Test
    void aForgottenModelUsersChannelClosesAndTakesItsRequestDirectoryWithIt() throws Exception {
        Path socket = sockets.forModels("ocean-team", "app", "detector").orElseThrow();
        Path requests = BrokerSockets.directoryOf(socket);
        Files.writeString(requests.resolve("req").resolve("half-written"), "{\"id\": 1");

        sockets.forget("app", "detector");

        assertThat(sockets.paths()).isEmpty();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(socket))).isInstanceOf(java.io.IOException.class);
        assertThat(requests).doesNotExist();
    }

    @Test
    void aChannelAGrantNamesOutlivesTheDeletionOfItsApp() throws Exception {
        sockets.refresh(List.of(grant("ocean-team", "detector")));
        Path socket = sockets.forModels("ocean-team", "app", "detector").orElseThrow();

        sockets.forget("app", "detector");

        assertThat(whoami(socket).path("tenant").asText()).isEqualTo("ocean-team");
        assertThat(BrokerSockets.directoryOf(socket).resolve("req")).isDirectory();
    }

    @Test
    void aGrantThatNoLongerNamesTheAppTakesItsChannelAndRequestDirectory() throws Exception {
        sockets.refresh(List.of(grant("ocean-team", "detector")));
        Path socket = dir.resolve("app-detector.sock");
        assertThat(whoami(socket).path("name").asText()).isEqualTo("detector");

        sockets.refresh(List.of());

        assertThat(socket).doesNotExist();
        assertThat(BrokerSockets.directoryOf(socket)).doesNotExist();
    }

    @Test
    void anAgentThatStopsLeavesTheRequestsWaitingForTheNextOne() throws Exception {
        Path socket = sockets.forModels("ocean-team", "app", "detector").orElseThrow();
        Path waiting = BrokerSockets.directoryOf(socket).resolve("req").resolve("being-written");
        Files.writeString(waiting, "{\"id\": 1");

        sockets.close();

        assertThat(socket).doesNotExist();
        assertThat(waiting).exists();
    }

    @Test
    void aSolo5MailboxBesideTheSocketAsksAsTheGrantsAppAndTenant() throws Exception {
        sockets.refresh(List.of(grant("fire-team", "detector")));
        Path mailbox = BrokerMailbox.create(BrokerMailbox.fileFor(
                BrokerSockets.mailboxesOf(dir.resolve("app-detector.sock")), dir.resolve("run-1")));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(mailbox,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] req = "{\"id\": 1, \"verb\": \"whoami\"}".getBytes(StandardCharsets.UTF_8);
            ch.write(java.nio.ByteBuffer.allocate(512).put(req).clear(), BrokerMailbox.REQUEST_AT);
            ch.write(java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .put("ORCHIDEQ".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(1).putInt(req.length).clear(),
                    BrokerMailbox.REQUEST_HEADER);
            java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            org.awaitility.Awaitility.await().until(() -> {
                ch.read(header.clear(), BrokerMailbox.ANSWER_HEADER);
                return header.getInt(12) == 1;
            });
            java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(header.getInt(16));
            ch.read(answer, BrokerMailbox.ANSWER_AT);
            assertThat(JSON.readTree(answer.array()).path("result").toString())
                    .isEqualTo("{\"tenant\":\"fire-team\",\"kind\":\"app\",\"name\":\"detector\"}");
        }
    }
}
