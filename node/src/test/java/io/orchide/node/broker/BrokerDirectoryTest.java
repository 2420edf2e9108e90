package io.orchide.node.broker;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The request directory, driven as a guest with only file operations drives it. */
class BrokerDirectoryTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
    private final List<String> audit = new ArrayList<>();
    private static final Caller PROBE = ProbeGnssBroker.PROBE;

    private Broker broker() throws Exception {
        return ProbeGnssBroker.create(clock, audit);
    }

    @Test
    void aGuestWritingThenRenamingARequestGetsItsAnswerTheSameWay() throws Exception {
        Path root = dir.resolve("app-probe.d");
        try (BrokerDirectory d = BrokerDirectory.open(root, () -> PROBE, broker())) {
            // what a guest does: write under a name of its own, rename into place, wait for the answer, remove it
            String guest = """
                    cd "$1"
                    printf '{"id": 7, "verb": "read", "device": "gnss-1"}' > req/r7.tmp
                    mv req/r7.tmp req/r7.json
                    printf '{"verb": "configure", "device": "gnss-1"}' > req/r8.tmp
                    mv req/r8.tmp req/r8.json
                    while [ ! -f resp/r7.json ] || [ ! -f resp/r8.json ]; do sleep 0.02; done
                    cat resp/r7.json resp/r8.json
                    rm resp/r7.json resp/r8.json
                    """;
            Process p = new ProcessBuilder("sh", "-c", guest, "guest", root.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).contains("\"id\":7", "\"ok\":true", "\"grant\":\"probe-gnss\"", "\"rate\":\"1Hz\"");
            assertThat(lines.get(1)).contains("\"ok\":false", "\"code\":\"verb_not_granted\"");
            assertThat(root.resolve("req")).isEmptyDirectory();
            assertThat(audit).containsExactlyInAnyOrder("read allowed", "configure refused");
        }
    }

    @Test
    void aRequestLeftWhileTheAgentWasDownIsAnsweredAtOpenAndOtherNamesAreLeftAlone() throws Exception {
        Path root = dir.resolve("app-probe.d");
        Files.createDirectories(root.resolve("req"));
        Files.writeString(root.resolve("req/early.json"), "{\"id\": \"e\", \"verb\": \"read\", \"device\": \"gnss-1\"}");
        Files.writeString(root.resolve("req/half-written.tmp"), "{\"id\":");
        try (BrokerDirectory d = BrokerDirectory.open(root, () -> PROBE, broker())) {
            await().until(() -> Files.exists(root.resolve("resp/early.json")));
            assertThat(Files.readString(root.resolve("resp/early.json"))).contains("\"id\":\"e\"", "\"ok\":true");
            assertThat(root.resolve("req/half-written.tmp")).exists();
        }
    }

    @Test
    void linksTheGuestPlacesAreNeitherReadNorWrittenThrough() throws Exception {
        Path root = dir.resolve("app-probe.d");
        Files.createDirectories(root.resolve("req"));
        Files.createDirectories(root.resolve("resp"));
        Path secret = Files.writeString(dir.resolve("host-secret"), "root-password");
        Path victim = Files.writeString(dir.resolve("host-file"), "keep me");
        // a request that is a link to a host file, and a link where the answer is first written
        Files.createSymbolicLink(root.resolve("req/steal.json"), secret);
        Files.createSymbolicLink(root.resolve("resp/.r1.json.part"), victim);
        try (BrokerDirectory d = BrokerDirectory.open(root, () -> PROBE, broker())) {
            Files.writeString(root.resolve("req/r1.tmp"), "{\"id\": 1, \"verb\": \"read\", \"device\": \"gnss-1\"}");
            Files.move(root.resolve("req/r1.tmp"), root.resolve("req/r1.json"));
            await().until(() -> Files.exists(root.resolve("resp/r1.json")));
            assertThat(Files.readString(root.resolve("resp/r1.json"))).contains("\"id\":1", "\"ok\":true");
            assertThat(Files.isSymbolicLink(root.resolve("resp/r1.json"))).isFalse();
            assertThat(victim).hasContent("keep me");
            assertThat(root.resolve("resp/steal.json")).doesNotExist();
            assertThat(audit).containsExactly("read allowed");
        }
    }
}
