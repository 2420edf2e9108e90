package io.orchide.node.trust;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.Arch;
import io.orchide.model.Manifest;
import io.orchide.model.Manifests;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnBoardTrustTest {
    static final String IMAGE = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;
    Database db;
    final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
    final KeyPair ocean = KeyFiles.generate(), oceanNext = KeyFiles.generate();
    final RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));

    @BeforeEach
    void open() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    static Manifest app(String tenant, String image) throws Exception {
        return Manifests.parseAll("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello, tenant: %s}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(tenant, image), Arch.X86_64).getFirst();
    }

    OnBoardTrust pinned() throws Exception {
        Path file = tmp.resolve("root.json");
        if (!Files.exists(file)) Files.writeString(file, sign(root.unsigned(), r1, r2, r3).toJson());
        return OnBoardTrust.open(db, file);
    }

    String delegation(long version, KeyPair key, KeyPair... roots) {
        return sign(Delegation.of("ocean", version, List.of(key.getPublic())).unsigned(), roots).toJson();
    }

    static String image(KeyPair key) {
        return sign(new ImageStatement("ocean", "app.kernel", IMAGE).unsigned(), key).toJson();
    }

    @Test
    void aNodeWithoutAPinnedRootRequiresNoSignature() throws Exception {
        OnBoardTrust t = OnBoardTrust.open(db, tmp.resolve("root.json"));
        assertThat(t.required()).isFalse();
        assertThatCode(() -> t.check(app("ocean", IMAGE))).doesNotThrowAnyException();
    }

    @Test
    void aPinnedRootThatDoesNotVerifyStopsTheNodeAtItsStart() throws Exception {
        Path file = tmp.resolve("root.json");
        Files.writeString(file, sign(root.unsigned(), r1).toJson());
        assertThatThrownBy(() -> OnBoardTrust.open(db, file)).isInstanceOf(TrustException.class)
                .hasMessageContaining("signed by 1 of the root's keys; 2 are needed");
    }

    @Test
    void anImageBootsOnlyOnceItsSignatureByADelegatedKeyArrived() throws Exception {
        OnBoardTrust t = pinned();
        assertThat(t.required()).isTrue();
        assertThatThrownBy(() -> t.check(app("ocean", IMAGE))).hasMessageContaining("is not signed");
        assertThat(t.take(List.of(delegation(1, ocean, r1, r2), image(ocean)))).isEmpty();
        assertThatCode(() -> t.check(app("ocean", IMAGE))).doesNotThrowAnyException();
        assertThatThrownBy(() -> t.check(app("fire", IMAGE))).hasMessageContaining("is signed for tenant ocean, not for tenant fire");
    }

    @Test
    void aDelegationNotSignedByTheRootsThresholdIsRefusedAndChangesNothing() throws Exception {
        OnBoardTrust t = pinned();
        List<String> refused = t.take(List.of(delegation(1, ocean, r1), image(ocean)));
        assertThat(refused).singleElement().asString().contains("delegation to tenant ocean version 1")
                .contains("signed by 1 of the root's keys; 2 are needed");
        assertThatThrownBy(() -> t.check(app("ocean", IMAGE))).hasMessageContaining("the root delegates no key to tenant ocean");
    }

    @Test
    void aRotationAndARevocationMadeWhileTheNodeWasOfflineAreTakenAtItsNextContactAndKept() throws Exception {
        OnBoardTrust t = pinned();
        t.take(List.of(delegation(1, ocean, r1, r2), image(ocean)));
        // meanwhile, on the ground: the root's keys are replaced (old threshold and new sign), and the new root
        // moves ocean's signing to a new key, revoking the old
        KeyPair n1 = KeyFiles.generate(), n2 = KeyFiles.generate();
        RootMetadata v2 = RootMetadata.of(2, 2, List.of(n1.getPublic(), n2.getPublic()));
        String rotation = sign(v2.unsigned(), r2, r3, n1, n2).toJson();
        List<String> refused = t.take(List.of(sign(root.unsigned(), r1, r2, r3).toJson(), rotation,
                delegation(2, oceanNext, n1, n2)));
        assertThat(refused).isEmpty();
        assertThat(t.root().orElseThrow().version()).isEqualTo(2);
        // the old key is revoked: what it signed before boots no more
        assertThatThrownBy(() -> t.check(app("ocean", IMAGE))).hasMessageContaining("which the root does not "
                + "delegate to tenant ocean (delegation version 2)");
        assertThat(t.take(List.of(image(oceanNext)))).isEmpty();
        assertThatCode(() -> t.check(app("ocean", IMAGE))).doesNotThrowAnyException();

        OnBoardTrust reopened = OnBoardTrust.open(db, tmp.resolve("root.json")); // an agent restart
        assertThat(reopened.root().orElseThrow().version()).isEqualTo(2);
        // a signature by the revoked key does not replace the good one
        assertThat(reopened.take(List.of(image(ocean)))).singleElement().asString()
                .contains("which the root does not delegate to tenant ocean");
        assertThatCode(() -> reopened.check(app("ocean", IMAGE))).doesNotThrowAnyException();
        // and the old root's keys no longer delegate, nor does a replayed older delegation bring the key back
        assertThat(reopened.take(List.of(delegation(3, ocean, r1, r2)))).singleElement().asString()
                .contains("signed by 0 of the root's keys");
        assertThat(reopened.take(List.of(delegation(1, ocean, r1, r2)))).singleElement().asString()
                .contains("signed by 0 of the root's keys");
    }

    @Test
    void aRootRotationWithoutTheOldThresholdIsRefused() throws Exception {
        OnBoardTrust t = pinned();
        KeyPair n1 = KeyFiles.generate();
        String rotation = sign(RootMetadata.of(2, 1, List.of(n1.getPublic())).unsigned(), r1, n1).toJson();
        assertThat(t.take(List.of(rotation))).singleElement().asString().contains("root metadata version 2")
                .contains("signatures of the root it replaces, version 1");
        assertThat(t.root().orElseThrow().version()).isEqualTo(1);
    }
}
