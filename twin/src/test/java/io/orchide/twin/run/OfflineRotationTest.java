package io.orchide.twin.run;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.link.secure.KeyFiles;
import io.orchide.model.Manifest;
import io.orchide.node.NodeAgent;
import io.orchide.node.NodeConfig;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.testkit.HelloKernels;
import io.orchide.twin.link.LinkShape;
import io.orchide.twin.link.Radio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A satellite out of contact for a simulated week while the operator rotates a tenant's image-signing key (the old
 * one revoked) and then the root itself: a real ground and a real agent, the twin's radio between them and the
 * twin's chain of trust (root pinned on the node, images signed as the twin signs them). Meanwhile the node keeps
 * running the workload it verified before; at its next contact it walks to the new root, takes the new delegation,
 * boots an image signed by the new key and refuses one signed by the revoked key.
 */
class OfflineRotationTest {
    static final String SAT = "sat-1", TENANT = "default";
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpJson node;
    private String nodeApi;

    /**
     * Simulated time: it runs at the speed of real time, and a week passes in one step while the satellite is out of
     * contact (every timer of ground and of the agent reads it).
     */
    static final class JumpingClock extends Clock {
        private final Instant origin = Instant.now();
        private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

        void jump(Duration d) {
            ahead.updateAndGet(a -> a.plus(d));
        }

        @Override
        public Instant instant() {
            return T0.plus(Duration.between(origin, Instant.now())).plus(ahead.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (String w : List.of("greeter", "renewed", "stale")) {
            try {
                node.delete(nodeApi + "/api/v1/workloads/" + w); // a VM outlives its agent, by design
            } catch (IOException | RuntimeException e) {
                // not there
            }
        }
        for (AutoCloseable c : open.reversed()) c.close();
    }

    @Test
    void aNodeOfflineForAWeekKeepsRunningAndTakesAKeyRotationAndARootRotationAtItsNextContact() throws Exception {
        JumpingClock clock = new JumpingClock();
        TrustRig trust = TrustRig.make(tmp.resolve("trust"), List.of(TENANT));
        ImageSigner signer = new ImageSigner(trust);

        GroundConfig cfg = GroundConfig.builder().dataDir(tmp.resolve("ground"))
                .listen(new InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0").clock(clock).build();
        Path[] groundKey = cfg.groundKey();
        Files.createDirectories(groundKey[0].getParent());
        KeyFiles.create(groundKey[0], groundKey[1]);
        GroundServer ground = GroundServer.start(cfg);
        open.add(ground);
        String api = "http://127.0.0.1:" + ground.apiAddress().getPort();
        String admin = Files.readString(tmp.resolve("ground/admin.token")).strip();

        // the node as the twin installs it: its own key, registered on ground; the root and ground's key pinned
        Path dir = tmp.resolve("node");
        NodeLayout layout = NodeLayout.of(dir);
        Files.createDirectories(dir);
        KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        Files.copy(trust.rootFile(), layout.trustRoot());
        ground.nodeKeys().register(SAT, KeyFiles.readPublic(layout.nodePublicKey()), "twin");
        assertThat(trust.giveGround(api, admin)).containsExactly("root/root version 1 accepted",
                "delegation/default version 1 accepted");

        Radio radio = Radio.start(SAT, List.of(ground.linkAddress()), clock, 1);
        open.add(radio);
        radio.open(LinkShape.UNLIMITED);
        NodeAgent agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512),
                null, null, 64 * 1024, clock, null, new NodeConfig.GroundSettings(SAT, radio.addresses().getFirst(), "obc", 0,
                Duration.ofMillis(200), null, null, List.of(groundKey[1])), null));
        open.add(agent);
        nodeApi = "http://127.0.0.1:" + agent.address().getPort();
        node = new HttpJson(() -> {
            try {
                return NodeToken.read(layout.token()).value();
            } catch (IOException e) {
                return null;
            }
        });
        ContactSwitch contact = new ContactSwitch(nodeApi + "/api/v1/link", node);
        open.add(contact);
        contact.set(true, true);

        Path kernel = HelloKernels.x86_64();
        apply(api, admin, signer, app("greeter", kernel));
        await().atMost(Duration.ofSeconds(90)).until(() -> state("greeter").equals("Running"));
        String signedByOldKey = signer.signed().getFirst().digest();

        // out of contact: nothing passes while the operator rotates the tenant's key, then the root
        contact.set(false, false);
        radio.close("loss of signal");
        trust.rotateKey(TENANT);
        trust.rotateRoot();
        assertThat(trust.giveGround(api, admin)).containsExactly("root/root version 2 accepted",
                "delegation/default version 3 accepted");
        apply(api, admin, signer, app("renewed", altered(kernel, "renewed.kernel", 7)));
        // an App naming the image the revoked key signed: ground still holds that signature, the node must not take it
        apply(api, admin, signer, app("stale", Path.of(signedByOldKey)));
        clock.jump(Duration.ofDays(7));
        assertThat(state("greeter")).as("a week out of contact").isEqualTo("Running");

        // the next contact
        radio.open(LinkShape.UNLIMITED);
        contact.set(true, false);
        await().atMost(Duration.ofSeconds(90)).until(() -> state("renewed").equals("Running"));
        String audit = await().atMost(Duration.ofSeconds(60)).until(
                () -> node.get(nodeApi + "/api/v1/audit").path("items").toString(), s -> s.contains("\"name\":\"stale\""));
        assertThat(audit).contains("not booted: image " + signedByOldKey + " of tenant default: is signed by key")
                .contains("which the root does not delegate to tenant default (delegation version 3)");
        // the new root and delegation were taken: the only signed document refused is the revoked key's signature
        List<String> trustRefusals = new ArrayList<>();
        node.get(nodeApi + "/api/v1/audit").path("items").forEach(e -> {
            if (e.path("kind").asText().equals("Trust")) trustRefusals.add(e.path("reason").asText());
        });
        assertThat(trustRefusals).allSatisfy(r -> assertThat(r).startsWith("image " + signedByOldKey + " "));
        assertThat(state("stale")).isEqualTo("absent");
        assertThat(state("greeter")).isEqualTo("Running");
    }

    /** The workload's state on the node, {@code absent} when it holds none of that name. */
    private String state(String name) {
        try {
            return node.get(nodeApi + "/api/v1/workloads/" + name).path("state").asText();
        } catch (IOException e) {
            return "absent";
        }
    }

    private void apply(String api, String token, ImageSigner signer, Path manifest) {
        List<Manifest> docs = signer.byContent(api, token, TENANT, manifest);
        ManifestApplier.throughGround().apply(api, token, docs, SAT);
    }

    /** An App file running {@code image} (a kernel file here, or a {@code sha256:} name ground holds). */
    private Path app(String name, Path image) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                  args: ["message=%s", "seconds=3600"]
                  resources: {vcpus: 1, memoryMiB: 32}
                  restart: {policy: Always}
                """.formatted(name, image, name));
        return f;
    }

    /** A copy of {@code kernel} with {@code extra} bytes appended: another image, another digest. */
    private Path altered(Path kernel, String name, int extra) throws IOException {
        byte[] k = Files.readAllBytes(kernel);
        Path f = tmp.resolve(name);
        Files.write(f, java.util.Arrays.copyOf(k, k.length + extra));
        return f;
    }
}
