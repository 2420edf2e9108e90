package io.orchide.cli;

import io.orchide.model.time.ScaledClock;
import io.orchide.node.NodeConfig;
import io.orchide.node.storage.StorageBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's options for the link to ground and for simulated time. */
class NodeOptionsTest {
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path keys;

    /** A ground's public key file, as a node pins it. */
    static String groundKey() {
        java.nio.file.Path pub = keys.resolve("ground.pub");
        try {
            if (!java.nio.file.Files.exists(pub)) io.orchide.link.secure.KeyFiles.create(keys.resolve("ground.key"), pub);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pub.toString();
    }

    @Test
    void aNodeOfASatellitePinsGroundsKeyAndRefusesToDialWithoutOne() {
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground", "g:7001",
                "--ground-key", groundKey())).config();
        assertThat(c.ground().groundKeys()).containsExactly(java.nio.file.Path.of(groundKey()));
        assertThat(c.ground().secure()).isTrue();
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground", "g:7001")))
                .hasMessageStartingWith("--ground-key is required with --ground");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground", "g:7001",
                "--ground-key", "/nonexistent/ground.pub"))).hasMessageStartingWith("--ground-key: /nonexistent/ground.pub is not");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--ground-key", groundKey())))
                .hasMessageContaining("only with --satellite and --ground");
    }
    @Test
    void theHousekeepingIntervalDefaultsToAMinuteAndABadOneIsRefusedNamingTheOptionAndTheValue() {
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x")).config().housekeepingInterval())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--housekeeping-interval", "5m")).config()
                .housekeepingInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--housekeeping-interval", "0s")))
                .hasMessage("--housekeeping-interval: expected a duration from 1s to 1d, such as 30s, 1m or 5m (got 0s)");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--housekeeping-interval", "often")))
                .hasMessageContaining("--housekeeping-interval").hasMessageContaining("(got often)");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--housekeeping-interval", "1500ms")))
                .hasMessage("--housekeeping-interval: expected whole seconds, such as 30s, 1m or 5m (got 1500ms)");
    }

    @Test
    void aNodeOfASatelliteDialsItsGroundAtTheGivenRate() {
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground",
                "ground.example:7001", "--node-name", "n1", "--link-rate", "2M", "--ground-key", groundKey())).config();
        assertThat(c.ground()).isEqualTo(new NodeConfig.GroundSettings("sat-1", "ground.example:7001", "n1", 250_000, null,
                null, null, List.of(java.nio.file.Path.of(groundKey()))));
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1")))
                .hasMessageContaining("--satellite and --ground go together");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "Sat_1", "--ground", "g:1")))
                .hasMessageContaining("--satellite: must be lowercase").hasMessageContaining("Sat_1");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--link-rate", "fast")))
                .hasMessageContaining("(got fast)");
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x")).config().ground()).isNull();
    }

    @Test
    void aNodeTakesEveryLinkAddressOfGroundsReplicasAndRefusesABadOneNamingIt() {
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground",
                "g1.example:7001, 10.0.0.2:7001,[fd00::3]:7001", "--node-name", "n1", "--ground-key", groundKey())).config();
        assertThat(c.ground().address()).isEqualTo("g1.example:7001,10.0.0.2:7001,[fd00::3]:7001");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1",
                "--ground", "g1.example:7001,g2.example")))
                .hasMessageStartingWith("--ground: 'g1.example:7001,g2.example' is not host:port (entry 2 'g2.example')");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1",
                "--ground", "g1.example:99999")))
                .hasMessageContaining("--ground").hasMessageContaining("g1.example:99999")
                .hasMessageContaining("port outside 1..65535");
    }

    @Test
    void theLinksKeepaliveAndIdleTimeoutReachTheLinkAndABadOneIsRefusedBeforeAnythingStarts() {
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--satellite", "sat-1", "--ground",
                "g:7001", "--node-name", "n1", "--link-keepalive", "10s", "--link-idle-timeout", "1m", "--ground-key", groundKey())).config();
        assertThat(c.ground().keepalive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.ground().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--link-keepalive", "30s")))
                .hasMessage("--link-idle-timeout: must be longer than the keepalive interval 30s (got 20s)");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--link-idle-timeout", "0s")))
                .hasMessageStartingWith("--link-idle-timeout: expected a duration from 100ms to 1h").hasMessageContaining("(got 0s)");
    }

    @Test
    void simulatedTimeStartsWhereToldAndRunsFaster() {
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--clock-speed", "3600",
                "--clock-start", start.toString())).config();
        assertThat(c.clock()).isInstanceOfSatisfying(ScaledClock.class, s -> assertThat(s.speed()).isEqualTo(3600));
        assertThat(Duration.between(start, c.clock().instant())).isBetween(Duration.ZERO, Duration.ofHours(2));
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x")).config().clock()).isNotInstanceOf(ScaledClock.class);
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--clock-speed", "0")))
                .hasMessageContaining("--clock-speed").hasMessageContaining("(got 0)");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--clock-start", "tomorrow")))
                .hasMessageContaining("--clock-start").hasMessageContaining("(got tomorrow)");
    }

    @Test
    void anAgentRestartedMidScenarioRejoinsTheTwinsTimeThroughTheOrigin() {
        Instant start = Instant.parse("2026-12-01T00:00:00Z");
        Instant origin = Instant.now().minusSeconds(60); // the twin began a minute ago at 100x: 100 min in
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--clock-speed", "100",
                "--clock-start", start.toString(), "--clock-origin", origin.toString())).config();
        assertThat(Duration.between(start, c.clock().instant())).isBetween(Duration.ofMinutes(100), Duration.ofMinutes(300));
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--clock-origin", "soon")))
                .hasMessageContaining("--clock-origin").hasMessageContaining("(got soon)");
    }

    @Test
    void theStorageBudgetIsTakenInSizesAndAnImpossibleOneIsRefusedBeforeAnythingStarts() {
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--storage-limit", "8Gi",
                "--storage-reserve", "256Mi")).config();
        assertThat(c.storage()).isEqualTo(new StorageBudget(8L << 30, 256L << 20, 512L << 20));
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x")).config().storage()).isEqualTo(StorageBudget.WHOLE_DISK);
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--storage-limit", "lots")))
                .hasMessageContaining("--storage-limit").hasMessageContaining("(got lots)");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--storage-limit", "100Mi",
                "--storage-reserve", "1Gi"))).hasMessageContaining("storageReserve").hasMessageContaining("1073741824");
    }

    @Test
    void aMonitorBinaryThatIsNotThereIsRefusedWithTheOptionAndThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--binary",
                "solo5-hvt=/no/such/solo5-hvt")))
                .hasMessage("--binary solo5-hvt: no such file (got /no/such/solo5-hvt)");
        java.nio.file.Path plain = java.nio.file.Files.writeString(dir.resolve("solo5-spt"), "");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--binary", "solo5-spt=" + plain)))
                .hasMessageContaining("--binary solo5-spt: not executable");

        java.nio.file.Path tender = java.nio.file.Files.copy(java.nio.file.Path.of("/bin/true"), dir.resolve("solo5-hvt"));
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--binary", "solo5-hvt=" + tender)).config()
                .binaries()).containsEntry(io.orchide.model.Monitor.SOLO5_HVT, tender);
        assertThat(NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--binary", "qemu=" + dir)).config().binaries())
                .containsEntry(io.orchide.model.Monitor.QEMU, dir);
    }

    @Test
    void aNodeGivenItsTleKnowsWhereItIsAndABadOneOrATleGivenTwiceStopsTheStart() throws Exception {
        java.nio.file.Path tle = java.nio.file.Files.writeString(keys.resolve("sat-1.tle"), """
                1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927
                2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537
                """);
        NodeConfig c = NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--tle", tle.toString())).config();
        assertThat(c.devices().position().tle().name()).isEqualTo("sat-1.tle");
        assertThat(c.devices().position().tle().line2()).startsWith("2 25544  51.6416");

        java.nio.file.Path bad = java.nio.file.Files.writeString(keys.resolve("bad.tle"), """
                1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2928
                2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537
                """);
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--tle", bad.toString())))
                .hasMessageContaining("--tle " + bad).hasMessageContaining("line1.checksum");
        java.nio.file.Path devices = java.nio.file.Files.writeString(keys.resolve("devices.yaml"),
                "position: {tle: sat-1.tle}\n");
        assertThatThrownBy(() -> NodeOptions.parse(List.of("--data-dir", "/tmp/x", "--devices", devices.toString(),
                "--tle", tle.toString()))).hasMessageContaining("give it once");
    }
}
