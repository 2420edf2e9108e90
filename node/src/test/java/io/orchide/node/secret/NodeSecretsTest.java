package io.orchide.node.secret;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.App;
import io.orchide.model.Manifests;
import io.orchide.model.Metadata;
import io.orchide.model.Secret;
import io.orchide.model.codec.SecretWriter;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeSecretsTest {
    @TempDir
    Path dir;

    private KeyPair node;
    private NodeSecrets secrets;

    private void init() throws Exception {
        node = KeyFiles.create(dir.resolve("node.key"), dir.resolve("node.pub"));
        secrets = new NodeSecrets(dir.resolve("secrets"), dir.resolve("node.key"), dir.resolve("node.pub"));
    }

    private Secret sealed(String name, int version, String ad, Map<String, String> data) {
        Secret clear = new Secret(new Metadata(name, "ocean", null), data, null);
        String fp = KeyFiles.fingerprint(node.getPublic());
        SecretSealing.Sealed s = SecretSealing.seal(node.getPublic(), SecretWriter.dataJson(clear),
                ad == null ? Secret.associatedData("ocean", name, version, fp) : ad.getBytes());
        return clear.withSealed(new Secret.Sealed(version, clear.keys(), List.of(new Secret.Copy(fp,
                Base64.getEncoder().encodeToString(s.ephemeral()), Base64.getEncoder().encodeToString(s.ciphertext())))));
    }

    private static App app(String tenant, String secret, String key) throws Exception {
        return Manifests.parseApp("apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: a, tenant: " + tenant + "}\n"
                + "spec:\n  image: /bin/true\n  runtime: {family: process, monitor: bwrap}\n  env:\n    X: {secret: " + secret
                + ", key: " + key + "}\n", null);
    }

    @Test
    void aSecretSealedUnderAnotherIdentityDoesNotOpenAndTheRefusalNamesIt() throws Exception {
        init();
        // sealed for version 1 but stored as version 2: the copy was moved, it must not open
        Secret moved = sealed("db", 2, "orchide.io/v1 Secret\0ocean\0db\0" + 1 + "\0" + KeyFiles.fingerprint(node.getPublic()), Map.of("k", "v"));
        secrets.apply(moved);

        assertThatThrownBy(() -> secrets.environment(app("ocean", "db", "k")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.env.X.secret");
                    assertThat(e.getMessage()).contains("Secret db does not open");
                });
    }

    @Test
    void theValueOpensForItsTenantOnlyAndAMissingKeyIsNamed() throws Exception {
        init();
        secrets.apply(sealed("db", 1, null, Map.of("k", "v1")));

        assertThat(secrets.environment(app("ocean", "db", "k"))).containsExactly(Map.entry("X", "v1"));
        assertThatThrownBy(() -> secrets.environment(app("fire", "db", "k"))).hasMessageContaining("no Secret db of tenant fire");
        assertThatThrownBy(() -> secrets.environment(app("ocean", "db", "other"))).hasMessageContaining("has no key other");
        assertThat(secrets.delete("db")).isTrue();
        assertThatThrownBy(() -> secrets.environment(app("ocean", "db", "k"))).hasMessageContaining("no Secret db");
    }

    @Test
    void aNodeKeyOrSecretOpenToOthersIsRefusedAtStartNamingItsMode() throws Exception {
        init();
        secrets.apply(sealed("db", 1, null, Map.of("k", "v1")));
        NodeSecrets.checkOwnerOnly(dir.resolve("node.key"), dir.resolve("secrets"));

        Files.setPosixFilePermissions(dir.resolve("secrets").resolve("db.json"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> NodeSecrets.checkOwnerOnly(dir.resolve("node.key"), dir.resolve("secrets")))
                .hasMessageContaining("db.json").hasMessageContaining("0644");
        Files.setPosixFilePermissions(dir.resolve("secrets").resolve("db.json"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("node.key"), PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> NodeSecrets.checkOwnerOnly(dir.resolve("node.key"), dir.resolve("secrets")))
                .hasMessageContaining("node.key").hasMessageContaining("0640");
    }
}
