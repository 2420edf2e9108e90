package io.orchide.ground.trust;

import io.orchide.ground.FakeUplink;
import io.orchide.testkit.TestPostgres;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.message.TrustUpdate;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ground takes the operator's root and delegations only as a node will (thresholds, versions that only move
 * forward), sends each one taken to every satellite at once, keeps only image signatures by a key delegated to the
 * pushing tenant, and attaches to a tenant's desired state what a node needs to verify its images.
 */
class GroundTrustTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
    final KeyPair ocean = KeyFiles.generate(), stray = KeyFiles.generate();
    final RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));

    static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    GroundDatabase open(String backend) throws Exception {
        return backend.equals("sqlite") ? GroundDatabase.sqlite(tmp) : GroundDatabase.postgres(TestPostgres.newDatabase(), 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void takesWhatANodeWouldAndSendsItToEverySatellite(String backend) throws Exception {
        try (GroundDatabase db = open(backend)) {
            FakeUplink up = new FakeUplink(clock);
            GroundTrust trust = new GroundTrust(db, clock, new Outbox(db, up, clock));
            db.tx(c -> {
                Fleet.ensure(c, "sat-1", clock.instant());
                return null;
            });
            SignedDocument delegation = sign(Delegation.of("ocean", 1, List.of(ocean.getPublic())).unsigned(), r1, r3);
            assertThatThrownBy(() -> trust.put(delegation)).isInstanceOf(TrustException.class)
                    .hasMessageContaining("ground holds no root metadata yet");
            assertThatThrownBy(() -> trust.put(sign(root.unsigned(), r1))).hasMessageContaining("2 are needed");

            assertThat(trust.put(sign(root.unsigned(), r1, r2)).unchanged()).isFalse();
            assertThat(trust.put(sign(root.unsigned(), r1, r2)).unchanged()).isTrue();
            assertThat(trust.put(delegation)).isEqualTo(new GroundTrust.Accepted("delegation", "ocean", 1, false));
            assertThatThrownBy(() -> trust.put(sign(Delegation.of("ocean", 1, List.of(stray.getPublic())).unsigned(), r1, r2)))
                    .hasMessageContaining("not newer than the delegation held (version 1)");

            assertThat(up.queued).containsKeys("trust.sat-1.root.root.1", "trust.sat-1.delegation.ocean.1");
            List<String> sent = TrustUpdate.decode(up.queued.get("trust.sat-1.delegation.ocean.1").payload()).documents();
            assertThat(sent).hasSize(2);
            assertThat(SignedDocument.parse(sent.get(0), "sent").type()).isEqualTo("root");
            assertThat(sent.get(1)).isEqualTo(delegation.toJson());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void keepsOnlyASignatureByAKeyDelegatedToThePushingTenantAndSendsItWithTheDesiredState(String backend) throws Exception {
        try (GroundDatabase db = open(backend)) {
            GroundTrust trust = new GroundTrust(db, clock, null);
            trust.put(sign(root.unsigned(), r1, r2));
            trust.put(sign(Delegation.of("ocean", 1, List.of(ocean.getPublic())).unsigned(), r1, r2));
            SignedDocument byStray = sign(new ImageStatement("ocean", "app.kernel", DIGEST).unsigned(), stray);
            assertThatThrownBy(() -> trust.signImage("ocean", DIGEST, byStray))
                    .hasMessageContaining("which the root does not delegate to tenant ocean");
            SignedDocument forFire = sign(new ImageStatement("fire", "app.kernel", DIGEST).unsigned(), ocean);
            assertThatThrownBy(() -> trust.signImage("ocean", DIGEST, forFire))
                    .hasMessageContaining("states tenant fire, but the image is pushed for tenant ocean");
            assertThat(trust.imageSignature("ocean", DIGEST)).isEmpty();

            SignedDocument good = sign(new ImageStatement("ocean", "app.kernel", DIGEST).unsigned(), ocean);
            trust.signImage("ocean", DIGEST, good);
            List<String> attached = db.read(c -> trust.attachments(c, "ocean", "{\"spec\":{\"image\":\"" + DIGEST + "\"}}"));
            assertThat(attached).hasSize(3).last().isEqualTo(good.toJson());
            List<String> none = db.read(c -> trust.attachments(c, "ocean", "{\"spec\":{\"image\":\"/opt/hello.elf\"}}"));
            assertThat(none).hasSize(2); // the root and the delegation: no image to sign
        }
    }

    @org.junit.jupiter.api.Test
    void takesTheRootsDirectorKeysSendsThemOutAndAttachesTheNewestToDesiredState() throws Exception {
        try (GroundDatabase db = open("sqlite")) {
            FakeUplink up = new FakeUplink(clock);
            GroundTrust trust = new GroundTrust(db, clock, new Outbox(db, up, clock));
            db.tx(c -> {
                Fleet.ensure(c, "sat-1", clock.instant());
                return null;
            });
            KeyPair g1 = KeyFiles.generate(), g2 = KeyFiles.generate();
            SignedDocument v1 = sign(DirectorKeys.of(1, List.of(g1.getPublic(), g2.getPublic())).unsigned(), r1, r2);
            SignedDocument v2 = sign(DirectorKeys.of(2, List.of(g2.getPublic())).unsigned(), r2, r3);
            assertThatThrownBy(() -> trust.put(v1)).hasMessageContaining("ground holds no root metadata yet");
            trust.put(sign(root.unsigned(), r1, r2));
            assertThatThrownBy(() -> trust.put(sign(DirectorKeys.of(1, List.of(g1.getPublic())).unsigned(), r1)))
                    .hasMessageContaining("director keys version 1: is signed by 1 of the root's keys; 2 are needed");
            assertThat(trust.put(v1)).isEqualTo(new GroundTrust.Accepted("director", "director", 1, false));
            assertThat(trust.put(v2).unchanged()).isFalse();
            assertThat(trust.put(v1).unchanged()).isTrue(); // the same document again: nothing sent
            SignedDocument otherV1 = sign(DirectorKeys.of(1, List.of(g1.getPublic())).unsigned(), r1, r2);
            assertThatThrownBy(() -> trust.put(otherV1)).hasMessageContaining("is not newer than the director keys held (version 2)");

            assertThat(up.queued).containsKeys("trust.sat-1.director.director.1", "trust.sat-1.director.director.2");
            assertThat(TrustUpdate.decode(up.queued.get("trust.sat-1.director.director.2").payload()).documents())
                    .last().isEqualTo(v2.toJson());
            List<String> attached = db.read(c -> trust.attachments(c, "ocean", "image: app.kernel"));
            assertThat(attached).contains(v2.toJson())
                    .doesNotContain(v1.toJson());
            assertThat(trust.documents()).contains(v2.toJson());
        }
    }

    @org.junit.jupiter.api.Test
    void directorKeysThatLeaveOutGroundsOwnKeyAreRefusedUnlessTheHandOverIsForced() throws Exception {
        try (GroundDatabase db = open("sqlite")) {
            FakeUplink up = new FakeUplink(clock);
            KeyPair own = KeyFiles.generate(), next = KeyFiles.generate();
            GroundTrust trust = new GroundTrust(db, clock, new Outbox(db, up, clock), own.getPublic());
            db.tx(c -> {
                Fleet.ensure(c, "sat-1", clock.instant());
                return null;
            });
            trust.put(sign(root.unsigned(), r1, r2));
            String ownId = KeyFiles.fingerprint(own.getPublic());
            SignedDocument foreign = sign(DirectorKeys.of(1, List.of(next.getPublic())).unsigned(), r1, r2);

            assertThatThrownBy(() -> trust.put(foreign, false)).isInstanceOfSatisfying(GroundTrust.OwnKeyLeftOut.class, e -> {
                assertThat(e.key()).isEqualTo(ownId);
                assertThat(e.version()).isEqualTo(1);
                assertThat(e.getMessage()).contains("do not name this ground's key " + ownId)
                        .contains("(they name " + KeyFiles.fingerprint(next.getPublic()) + ")");
            });
            assertThatThrownBy(() -> trust.put(foreign)).isInstanceOf(TrustException.class)
                    .hasMessageContaining("do not name this ground's key " + ownId);
            assertThat(trust.documents()).doesNotContain(foreign.toJson());
            assertThat(up.queued).doesNotContainKey("trust.sat-1.director.director.1");

            // naming the new key beside ground's own is the first step of a hand-over: taken as it is
            SignedDocument both = sign(DirectorKeys.of(1, List.of(own.getPublic(), next.getPublic())).unsigned(), r1, r2);
            assertThat(trust.put(both, false)).isEqualTo(new GroundTrust.Accepted("director", "director", 1, false, null));
            // the last step, forced: taken, sent, and it says which key was handed over
            SignedDocument onlyNext = sign(DirectorKeys.of(2, List.of(next.getPublic())).unsigned(), r2, r3);
            assertThat(trust.put(onlyNext, true)).isEqualTo(new GroundTrust.Accepted("director", "director", 2, false, ownId));
            assertThat(up.queued).containsKeys("trust.sat-1.director.director.1", "trust.sat-1.director.director.2");
            assertThat(trust.documents()).contains(onlyNext.toJson());
        }
    }
}
