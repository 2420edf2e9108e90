package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.DesiredStateSignature;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.StatusReport;
import io.orchide.node.apply.RecordingTargets;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.store.Database;
import io.orchide.node.trust.DirectorCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that pins ground's key applies only desired state ground's key sealed for its satellite, and never an older
 * generation after a newer: everything else is refused whole, in the on-board audit (which reaches ground).
 */
class SignedDesiredStateTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String IMAGE = "sha256:" + "cd".repeat(32);

    @TempDir
    Path tmp;
    final RecordingTargets targets = new RecordingTargets();
    final KeyPair ground = KeyFiles.generate(), fake = KeyFiles.generate();
    Database db;
    AuditTrail audit;
    UplinkIntake intake;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        audit = new AuditTrail(db, CLOCK);
        NodeEvents events = new NodeEvents(CLOCK);
        targets.stored.add(IMAGE);
        DesiredApplier applier = new DesiredApplier(targets.applier(), null, null, new DesiredLedger(db), events, audit, CLOCK);
        intake = new UplinkIntake(applier, null, null, events, null, audit, new DirectorCheck("sat-1", List.of(ground.getPublic())));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    static byte[] change(int generation, int vcpus) {
        return new DesiredChange("App", "hello", generation, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: %d, memoryMiB: 32}
                """.formatted(IMAGE, vcpus)).encode();
    }

    void deliver(int generation, byte[] payload) {
        intake.deliver(new Bundle("desired.sat-1.App.hello." + generation, "ground", "sat-1", BundleKind.DESIRED.wire(), 80,
                CLOCK.instant(), Duration.ofDays(1), payload.length, "x"), payload);
    }

    StatusReport.Audit last() {
        return audit.recent(1).getFirst();
    }

    @Test
    void aChangeSealedByThePinnedGroundForThisSatelliteIsApplied() {
        deliver(1, DesiredStateSignature.seal("sat-1", change(1, 1), ground));
        assertThat(targets.applied).containsExactly("App hello");
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.APPLIED);
    }

    @Test
    void anUnsignedAForeignOrAnotherSatellitesChangeIsRefusedWhole() {
        deliver(1, change(1, 1));
        assertThat(last().reason()).contains("is not signed by ground");
        deliver(1, DesiredStateSignature.seal("sat-1", change(1, 1), fake));
        assertThat(last().reason()).contains("is not signed by ground's pinned key");
        deliver(1, DesiredStateSignature.seal("sat-2", change(1, 1), ground));
        assertThat(last().reason()).contains("is signed for satellite sat-2, not sat-1");
        assertThat(last().kind()).isEqualTo("Desired");
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(targets.applied).isEmpty();
    }

    @Test
    void anOlderGenerationReplayedAfterANewerIsRefusedAndAudited() {
        byte[] first = DesiredStateSignature.seal("sat-1", change(1, 1), ground);
        deliver(1, first);
        deliver(2, DesiredStateSignature.seal("sat-1", change(2, 2), ground));
        deliver(1, first);
        assertThat(targets.applied).containsExactly("App hello", "App hello");
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(last().reason()).contains("generation 1 is older than generation 2 taken before");
        int before = audit.recent(100).size();
        deliver(2, DesiredStateSignature.seal("sat-1", change(2, 2), ground)); // the same bundle again: nothing
        assertThat(audit.recent(100)).hasSize(before);
    }
}
