package io.orchide.link.trust;

import io.orchide.link.secure.KeyFiles;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustChainTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String OTHER = "sha256:" + "cd".repeat(32);

    private final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
    private final KeyPair ocean = KeyFiles.generate(), fire = KeyFiles.generate(), stray = KeyFiles.generate();
    private final RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));

    private static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    private Delegation delegate(String tenant, long version, KeyPair key) throws TrustException {
        return Delegation.verify(root, sign(Delegation.of(tenant, version, List.of(key.getPublic())).unsigned(), r1, r2), null);
    }

    private static SignedDocument image(String tenant, String digest, KeyPair key) {
        return sign(new ImageStatement(tenant, "app.kernel", digest).unsigned(), key);
    }

    @Test
    void aDocumentReadBackFromItsTextVerifiesWhateverItsIndentation() throws Exception {
        SignedDocument d = sign(root.unsigned(), r1, r2);
        String pretty = CanonicalJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(CanonicalJson.JSON.readTree(d.toJson()));
        assertThat(RootMetadata.pinned(SignedDocument.parse(pretty, "root.json"))).isEqualTo(root);
    }

    @Test
    void aRootNeedsItsThresholdOfSignatures() {
        SignedDocument one = sign(root.unsigned(), r1, r1);
        assertThatThrownBy(() -> RootMetadata.pinned(one)).isInstanceOf(TrustException.class)
                .hasMessageContaining("signed by 1 of the root's keys; 2 are needed");
    }

    @Test
    void aRootRotationNeedsTheThresholdOfTheOldKeysAndOfTheNew() throws Exception {
        KeyPair n1 = KeyFiles.generate(), n2 = KeyFiles.generate();
        SignedDocument next = RootMetadata.of(2, 2, List.of(n1.getPublic(), n2.getPublic())).unsigned();
        assertThatThrownBy(() -> root.next(sign(next, n1, n2))).hasMessageContaining("root it replaces, version 1");
        assertThatThrownBy(() -> root.next(sign(next, r1, r2, n1))).hasMessageContaining("signatures of its own keys");
        assertThat(root.next(sign(next, r1, r3, n1, n2)).version()).isEqualTo(2);
        SignedDocument skip = RootMetadata.of(3, 1, List.of(n1.getPublic())).unsigned();
        assertThatThrownBy(() -> root.next(sign(skip, r1, r2, n1))).hasMessageContaining("a rotation takes version 2");
    }

    @Test
    void aDelegationNeedsTheRootsThresholdAndANewerVersion() throws Exception {
        SignedDocument byOne = sign(Delegation.of("ocean", 1, List.of(ocean.getPublic())).unsigned(), r1);
        assertThatThrownBy(() -> Delegation.verify(root, byOne, null)).hasMessageContaining("delegation to tenant ocean version 1")
                .hasMessageContaining("2 are needed");
        SignedDocument byStrangers = sign(Delegation.of("ocean", 1, List.of(ocean.getPublic())).unsigned(), ocean, stray);
        assertThatThrownBy(() -> Delegation.verify(root, byStrangers, null)).hasMessageContaining("signed by 0 of the root's keys");
        Delegation v2 = delegate("ocean", 2, ocean);
        SignedDocument replay = sign(Delegation.of("ocean", 1, List.of(stray.getPublic())).unsigned(), r1, r2);
        assertThatThrownBy(() -> Delegation.verify(root, replay, v2)).hasMessageContaining("not newer than the delegation held (version 2)");
    }

    @Test
    void anImageSignedByADelegatedKeyForItsTenantAndDigestPasses() throws Exception {
        ImageStatement s = ImageVerifier.verify("ocean", DIGEST, delegate("ocean", 1, ocean), List.of(image("ocean", DIGEST, ocean)));
        assertThat(s).isEqualTo(new ImageStatement("ocean", "app.kernel", DIGEST));
    }

    @Test
    void anUnsignedImageIsRefused() {
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, delegate("ocean", 1, ocean), List.of()))
                .hasMessage("image " + DIGEST + " of tenant ocean: is not signed (this node boots only images signed by a "
                        + "key the root delegated to their tenant)");
    }

    @Test
    void anotherTenantsValidImageDoesNotPassForThisTenants() throws Exception {
        Delegation d = delegate("ocean", 1, ocean);
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, d, List.of(image("fire", DIGEST, fire))))
                .hasMessageContaining("is signed for tenant fire, not for tenant ocean");
    }

    @Test
    void aSignatureOfAnotherDigestDoesNotCoverThisOne() throws Exception {
        Delegation d = delegate("ocean", 1, ocean);
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, d, List.of(image("ocean", OTHER, ocean))))
                .hasMessageContaining("has only a signature of another image (" + OTHER + ")");
    }

    @Test
    void aKeyTheRootNeverDelegatedIsRefused() throws Exception {
        Delegation d = delegate("ocean", 1, ocean);
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, d, List.of(image("ocean", DIGEST, stray))))
                .hasMessageContaining("is signed by key " + KeyFiles.fingerprint(stray.getPublic())
                        + ", which the root does not delegate to tenant ocean");
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, null, List.of(image("ocean", DIGEST, ocean))))
                .hasMessageContaining("the root delegates no key to tenant ocean");
    }

    @Test
    void aRevokedKeyNoLongerSigns() throws Exception {
        Delegation v1 = delegate("ocean", 1, ocean);
        Delegation v2 = Delegation.verify(root, sign(Delegation.of("ocean", 2, List.of(fire.getPublic())).unsigned(), r2, r3), v1);
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, v2, List.of(image("ocean", DIGEST, ocean))))
                .hasMessageContaining("which the root does not delegate to tenant ocean (delegation version 2)");
    }

    @Test
    void anAlteredStatementDoesNotVerify() throws Exception {
        Delegation d = delegate("ocean", 1, ocean);
        SignedDocument signed = image("ocean", OTHER, ocean);
        signed.signed().put("digest", DIGEST);
        assertThatThrownBy(() -> ImageVerifier.verify("ocean", DIGEST, d, List.of(signed)))
                .hasMessageContaining("does not verify");
    }

    @Test
    void aKeyIdThatIsNotItsKeysFingerprintIsRefused() {
        String text = sign(root.unsigned(), r1, r2).toJson().replace(KeyFiles.fingerprint(r3.getPublic()), "sha256:" + "00".repeat(32));
        assertThatThrownBy(() -> RootMetadata.pinned(SignedDocument.parse(text, "root.json")))
                .hasMessageContaining("is not the fingerprint of its key");
    }

    @Test
    void desiredStateOpensOnlyForItsSatelliteAndByThePinnedDirectorAndUnaltered() throws Exception {
        KeyPair director = KeyFiles.generate();
        byte[] change = "{\"kind\":\"App\",\"name\":\"a\",\"generation\":2,\"manifest\":\"m\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sealed = DesiredStateSignature.seal("sat-1", change, director);
        assertThat(DesiredStateSignature.sealed(sealed)).isTrue();
        assertThat(DesiredStateSignature.sealed(change)).isFalse();
        assertThat(CanonicalJson.JSON.readTree(DesiredStateSignature.open(sealed, "sat-1", List.of(director.getPublic()))))
                .isEqualTo(CanonicalJson.JSON.readTree(change));
        assertThatThrownBy(() -> DesiredStateSignature.open(sealed, "sat-2", List.of(director.getPublic())))
                .hasMessageContaining("is signed for satellite sat-1, not sat-2");
        assertThatThrownBy(() -> DesiredStateSignature.open(sealed, "sat-1", List.of(stray.getPublic())))
                .hasMessageContaining("is not signed by ground's pinned key");
        byte[] altered = new String(sealed, java.nio.charset.StandardCharsets.UTF_8).replace("\"generation\":2", "\"generation\":3")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DesiredStateSignature.open(altered, "sat-1", List.of(director.getPublic())))
                .hasMessageContaining("is not signed by ground's pinned key");
    }

    @Test
    void directorKeysNeedTheRootsThresholdAndANewerVersion() throws Exception {
        KeyPair g1 = KeyFiles.generate(), g2 = KeyFiles.generate();
        SignedDocument v1 = DirectorKeys.of(1, List.of(g1.getPublic(), g2.getPublic())).unsigned();
        assertThatThrownBy(() -> DirectorKeys.verify(root, sign(v1, r1, stray), null))
                .hasMessageContaining("director keys version 1: is signed by 1 of the root's keys; 2 are needed");
        DirectorKeys held = DirectorKeys.verify(root, sign(v1, r1, r2), null);
        assertThat(held.names(g1.getPublic())).isTrue();
        DirectorKeys v2 = DirectorKeys.verify(root, sign(DirectorKeys.of(2, List.of(g2.getPublic())).unsigned(), r2, r3), held);
        assertThat(v2.names(g1.getPublic())).isFalse();
        assertThatThrownBy(() -> DirectorKeys.verify(root, sign(v1, r1, r2), v2))
                .hasMessageContaining("is not newer than the director keys held (version 2)");
        assertThatThrownBy(() -> DirectorKeys.read(sign(Delegation.of("ocean", 1, List.of(g1.getPublic())).unsigned(), r1, r2)))
                .hasMessageContaining("is a document of type 'delegation', not director");
    }

    @Test
    void desiredStateOpensOnlyBySomeKeyOfTheRootsNewestDirectorKeys() throws Exception {
        KeyPair g1 = KeyFiles.generate(), g2 = KeyFiles.generate();
        DirectorKeys onlyG2 = DirectorKeys.of(2, List.of(g2.getPublic()));
        byte[] change = "{\"kind\":\"App\",\"name\":\"a\",\"generation\":1,\"manifest\":\"m\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CanonicalJson.JSON.readTree(DesiredStateSignature.open(DesiredStateSignature.seal("sat-1", change, g2), "sat-1", onlyG2)))
                .isEqualTo(CanonicalJson.JSON.readTree(change));
        assertThatThrownBy(() -> DesiredStateSignature.open(DesiredStateSignature.seal("sat-1", change, g1), "sat-1", onlyG2))
                .hasMessageContaining("is not signed by a director key of the root (director keys version 2 name "
                        + KeyFiles.fingerprint(g2.getPublic()) + "; a key left out of them is revoked): signed by "
                        + KeyFiles.fingerprint(g1.getPublic()));
    }
}
