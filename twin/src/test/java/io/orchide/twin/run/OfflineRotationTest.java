package io.orchide.twin.run;

import io.orchide.testkit.HelloKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
    static final String TENANT = io.orchide.model.Metadata.DEFAULT_TENANT;
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    @TempDir
    Path tmp;

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

    @Test
    void aNodeOfflineForAWeekKeepsRunningAndTakesAKeyRotationAndARootRotationAtItsNextContact() throws Exception {
        JumpingClock clock = new JumpingClock();
        TrustRig trust = TrustRig.make(tmp.resolve("trust"), List.of(TENANT));
        ImageSigner signer = new ImageSigner(trust);
        try (GroundAndNode sat = GroundAndNode.start(tmp, clock, trust)) {
            // the root names ground's key as its director, as the twin's does: desired state is taken from it alone
            trust.nameDirector(io.orchide.link.secure.KeyFiles.readPublic(sat.ground.groundPublicKey()));
            assertThat(trust.giveGround(sat.api, sat.admin)).containsExactly("root/root version 1 accepted",
                    "director/director version 1 accepted", "delegation/default version 1 accepted");
            sat.contact(true);
            Path kernel = HelloKernels.x86_64();
            sat.apply(signer, app("greeter", kernel));
            await().atMost(Duration.ofSeconds(90)).until(() -> sat.state("greeter").equals("Running"));
            String signedByOldKey = signer.signed().getFirst().digest();

            // out of contact: nothing passes while the operator rotates the tenant's key, then the root
            sat.contact(false);
            trust.rotateKey(TENANT);
            trust.rotateRoot();
            assertThat(trust.giveGround(sat.api, sat.admin)).containsExactly("root/root version 2 accepted",
                    "director/director version 2 accepted", "delegation/default version 3 accepted");
            sat.apply(signer, app("renewed", altered(kernel, "renewed.kernel", 7)));
            // an App naming the image the revoked key signed: ground still holds that signature, the node must refuse it
            sat.apply(signer, app("stale", Path.of(signedByOldKey)));
            clock.jump(Duration.ofDays(7));
            assertThat(sat.state("greeter")).as("a week out of contact").isEqualTo("Running");

            sat.contact(true); // the next contact
            await().atMost(Duration.ofSeconds(90)).until(() -> sat.state("renewed").equals("Running"));
            String audit = await().atMost(Duration.ofSeconds(60)).until(
                    () -> sat.node.get(sat.nodeApi + "/api/v1/audit").path("items").toString(),
                    s -> s.contains("\"name\":\"stale\""));
            assertThat(audit).contains("not booted: image " + signedByOldKey + " of tenant default: is signed by key")
                    .contains("which the root does not delegate to tenant default (delegation version 3)");
            // the new root, director keys and delegation were taken: the only signed document refused is the revoked
            // key's signature
            List<String> trustRefusals = new ArrayList<>();
            sat.node.get(sat.nodeApi + "/api/v1/audit").path("items").forEach(e -> {
                if (e.path("kind").asText().equals("Trust")) trustRefusals.add(e.path("reason").asText());
            });
            assertThat(trustRefusals).allSatisfy(r -> assertThat(r).startsWith("image " + signedByOldKey + " "));
            assertThat(sat.state("stale")).isEqualTo("absent");
            assertThat(sat.state("greeter")).isEqualTo("Running");
        }
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
