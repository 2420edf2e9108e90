package io.orchide.node.trust;

import io.orchide.link.secure.KeyFiles;
import io.orchide.model.Manifests;
import io.orchide.model.Model;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.RootMetadata;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Model's file is signed as an image is, by a key the root delegated to the model's tenant, and by its signer. */
class ModelSignatureTest {
    static final String IMAGE = OnBoardTrustTest.IMAGE;

    @TempDir
    Path tmp;
    final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate();
    final KeyPair ocean = KeyFiles.generate(), oceanNext = KeyFiles.generate();

    private OnBoardTrust pinned(Database db) throws Exception {
        Path file = tmp.resolve("root.json");
        Files.writeString(file, OnBoardTrustTest.sign(RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic()))
                .unsigned(), r1, r2).toJson());
        return OnBoardTrust.open(db, file);
    }

    static Model model(String tenant, String signer) throws Exception {
        return Manifests.parseModel("""
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: cloud-mask, tenant: %s}
                spec: {digest: "%s", version: "1", accelerators: [cpu]%s}
                """.formatted(tenant, IMAGE, signer == null ? "" : ", signer: " + signer));
    }

    @Test
    void aModelIsAcceptedOnlyWithItsFileSignedForItsTenantAndByTheSignerItNames() throws Exception {
        try (Database db = Database.open(tmp.resolve("node.db"))) {
        OnBoardTrust t = pinned(db);
        assertThatThrownBy(() -> t.check(model("ocean", null))).hasMessageContaining(IMAGE).hasMessageContaining("is not signed");
        String delegation = OnBoardTrustTest.sign(Delegation.of("ocean", 1, List.of(ocean.getPublic())).unsigned(), r1, r2).toJson();
        assertThat(t.take(List.of(delegation, OnBoardTrustTest.image(ocean)))).isEmpty();
        assertThatCode(() -> t.check(model("ocean", null))).doesNotThrowAnyException();
        assertThatCode(() -> t.check(model("ocean", KeyFiles.fingerprint(ocean.getPublic())))).doesNotThrowAnyException();
        String other = KeyFiles.fingerprint(oceanNext.getPublic());
        assertThatThrownBy(() -> t.check(model("ocean", other)))
                .hasMessageContaining("is not signed by key " + other + ", the signer its Model names");
        assertThatThrownBy(() -> t.check(model("fire", null))).hasMessageContaining("not for tenant fire");
        }
    }
}
