package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.DesiredStateSignature;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.StatusReport;
import io.orchide.model.message.TrustUpdate;
import io.orchide.node.apply.RecordingTargets;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.store.Database;
import io.orchide.node.trust.DirectorCheck;
import io.orchide.node.trust.OnBoardTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a node with a pinned root, the root's director keys say which ground keys seal desired state: a ground moved to a
 * newly named key is obeyed without pinning its key anew, and a director key the root revoked (left out of a newer
 * version) seals nothing, even one pinned with {@code --ground-key}. Real keys, the node's real database.
 */
class RootDirectorKeysTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    final RecordingTargets targets = new RecordingTargets();
    final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
    final KeyPair pinnedGround = KeyFiles.generate(), nextGround = KeyFiles.generate(), rogue = KeyFiles.generate();
    final RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));
    Database db;
    AuditTrail audit;
    OnBoardTrust trust;
    UplinkIntake intake;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        audit = new AuditTrail(db, CLOCK);
        Path rootFile = tmp.resolve("root.json");
        Files.writeString(rootFile, sign(root.unsigned(), r1, r2, r3).toJson());
        trust = OnBoardTrust.open(db, rootFile);
        NodeEvents events = new NodeEvents(CLOCK);
        DesiredApplier applier = new DesiredApplier(targets.applier(), null, null, new DesiredLedger(db), events, audit,
                CLOCK, trust);
        intake = new UplinkIntake(applier, null, null, events, null, audit,
                new DirectorCheck("sat-1", List.of(pinnedGround.getPublic()), trust::directors));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    static String directors(long version, KeyPair... keys) {
        return DirectorKeys.of(version, List.of(keys).stream().map(KeyPair::getPublic).toList()).unsigned().toJson();
    }

    String directorsSigned(long version, List<KeyPair> roots, KeyPair... keys) {
        SignedDocument d = DirectorKeys.of(version, List.of(keys).stream().map(KeyPair::getPublic).toList()).unsigned();
        return sign(d, roots.toArray(KeyPair[]::new)).toJson();
    }

    /** An App whose image is a file name, not a content image: no image signature is asked of it. */
    static byte[] change(int generation, List<String> documents) {
        return new DesiredChange("App", "hello", generation, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: app.kernel
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: %d, memoryMiB: 32}
                """.formatted(generation), documents).encode();
    }

    void desired(int generation, byte[] payload) {
        intake.deliver(new Bundle("desired.sat-1.App.hello." + generation, "ground", "sat-1", BundleKind.DESIRED.wire(), 80,
                CLOCK.instant(), Duration.ofDays(1), payload.length, "x"), payload);
    }

    void trustBundle(String... documents) {
        byte[] payload = new TrustUpdate(List.of(documents)).encode();
        intake.deliver(new Bundle("trust.sat-1." + documents.length, "ground", "sat-1", BundleKind.TRUST.wire(), 90,
                CLOCK.instant(), Duration.ofDays(1), payload.length, "x"), payload);
    }

    StatusReport.Audit last() {
        return audit.recent(1).getFirst();
    }

    @Test
    void untilTheRootNamesDirectorsThePinnedGroundKeySealsDesiredState() {
        desired(1, DesiredStateSignature.seal("sat-1", change(1, List.of()), pinnedGround));
        assertThat(targets.applied).containsExactly("App hello");
        desired(2, DesiredStateSignature.seal("sat-1", change(2, List.of()), nextGround));
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(last().reason()).contains("is not signed by ground's pinned key");
        assertThat(targets.applied).containsExactly("App hello");
    }

    @Test
    void aGroundMovedToAKeyTheRootNamesIsObeyedWithoutPinningItAnew() {
        String named = directorsSigned(1, List.of(r1, r3), nextGround);
        desired(1, DesiredStateSignature.seal("sat-1", change(1, List.of(named)), nextGround));
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.APPLIED);
        assertThat(targets.applied).containsExactly("App hello");
        assertThat(trust.directors()).map(DirectorKeys::version).contains(1L);

        // the root now names only the new key: the key pinned at install seals nothing any more
        desired(2, DesiredStateSignature.seal("sat-1", change(2, List.of()), pinnedGround));
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(last().reason()).contains("is not signed by a director key of the root (director keys version 1 name "
                + KeyFiles.fingerprint(nextGround.getPublic()));
        assertThat(targets.applied).containsExactly("App hello");
    }

    @Test
    void desiredStateSignedByARevokedDirectorKeyIsRefused() {
        trustBundle(directorsSigned(1, List.of(r1, r2), pinnedGround, nextGround));
        desired(1, DesiredStateSignature.seal("sat-1", change(1, List.of()), pinnedGround));
        assertThat(targets.applied).containsExactly("App hello");

        trustBundle(directorsSigned(2, List.of(r2, r3), nextGround)); // the old ground key revoked
        desired(2, DesiredStateSignature.seal("sat-1", change(2, List.of()), pinnedGround));
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(last().reason()).contains("is not signed by a director key of the root (director keys version 2")
                .contains("signed by " + KeyFiles.fingerprint(pinnedGround.getPublic()));
        assertThat(targets.applied).containsExactly("App hello");

        // the version that named the revoked key, replayed, brings it back neither alone nor riding with a change
        String replayed = directorsSigned(1, List.of(r1, r2), pinnedGround, nextGround);
        desired(3, DesiredStateSignature.seal("sat-1", change(3, List.of(replayed)), pinnedGround));
        assertThat(audit.recent(2)).extracting(StatusReport.Audit::reason)
                .anySatisfy(r -> assertThat(r).contains("director keys version 1: is not newer than the director keys held (version 2)"))
                .anySatisfy(r -> assertThat(r).contains("is not signed by a director key of the root (director keys version 2"));
        assertThat(trust.directors()).map(DirectorKeys::version).contains(2L);
        assertThat(targets.applied).containsExactly("App hello");

        desired(4, DesiredStateSignature.seal("sat-1", change(4, List.of()), nextGround));
        assertThat(targets.applied).containsExactly("App hello", "App hello");
    }

    @Test
    void directorKeysShortOfTheRootsThresholdNameNoOne() {
        String forged = directorsSigned(1, List.of(r1), rogue); // one root key of the two needed
        desired(1, DesiredStateSignature.seal("sat-1", change(1, List.of(forged)), rogue));
        assertThat(audit.recent(2)).extracting(StatusReport.Audit::reason)
                .anySatisfy(r -> assertThat(r).contains("director keys version 1: is signed by 1 of the root's keys; 2 are needed"))
                .anySatisfy(r -> assertThat(r).contains("is not signed by ground's pinned key"));
        assertThat(trust.directors()).isEmpty();
        assertThat(targets.applied).isEmpty();
        // nor unsigned ones
        trustBundle(directors(1, rogue));
        assertThat(trust.directors()).isEmpty();
    }

    @Test
    void aChangeCarryingDirectorKeysThatRevokeItsOwnSignerIsRefused() {
        trustBundle(directorsSigned(1, List.of(r1, r2), pinnedGround, nextGround));
        String revokesPinned = directorsSigned(2, List.of(r1, r3), nextGround);
        desired(1, DesiredStateSignature.seal("sat-1", change(1, List.of(revokesPinned)), pinnedGround));
        assertThat(last().outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(last().reason()).contains("is not signed by a director key of the root (director keys version 2");
        assertThat(targets.applied).isEmpty();
    }
}
