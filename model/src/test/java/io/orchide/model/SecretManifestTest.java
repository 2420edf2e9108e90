package io.orchide.model;

import io.orchide.model.codec.SecretWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretManifestTest {
    private static final String SECRET = """
            apiVersion: orchide.io/v1
            kind: Secret
            metadata: {name: db-creds, tenant: ocean-team}
            data:
              user: ocean
              password: "hunter2-s3cret"
            """;

    @Test
    void readsDataWithKeysSorted() throws Exception {
        Secret s = Manifests.parseSecret(SECRET);

        assertThat(s.metadata().tenant()).isEqualTo("ocean-team");
        assertThat(s.keys()).containsExactly("password", "user");
        assertThat(s.data()).containsEntry("password", "hunter2-s3cret");
        assertThat(s.isSealed()).isFalse();
    }

    @Test
    void toStringNeverShowsAValue() throws Exception {
        assertThat(Manifests.parseSecret(SECRET).toString()).contains("password").doesNotContain("hunter2");
    }

    @Test
    void sealedFormRoundTripsAndHoldsNoData() throws Exception {
        Secret sealed = Manifests.parseSecret(SECRET).withSealed(new Secret.Sealed(3, List.of("password", "user"),
                List.of(new Secret.Copy("sha256:ab", "AAAA", "BBBB"))));
        String json = Manifests.toJson(sealed);

        assertThat(json).doesNotContain("hunter2");
        assertThat(Manifests.parseSecret(json)).isEqualTo(sealed);
        assertThat(Manifests.parseAll(json, null)).containsExactly(sealed);
    }

    @Test
    void aValueTooLargeNamesItsFieldAndSizeNotItsValue() {
        String big = "x".repeat(Secret.MAX_VALUE_BYTES + 1);
        assertThatThrownBy(() -> Manifests.parseSecret(SECRET + "  blob: " + big + "\n"))
                .isInstanceOf(ManifestException.class)
                .satisfies(e -> {
                    FieldError err = ((ManifestException) e).errors().getFirst();
                    assertThat(err.path()).isEqualTo("data.blob");
                    assertThat(err.value()).isEqualTo((Secret.MAX_VALUE_BYTES + 1) + " bytes");
                    assertThat(e.getMessage()).doesNotContain("xxxxxxxx");
                });
    }

    @Test
    void tooManyKeysAndABadKeyNameAndANonStringValueAreAllReportedWithoutValues() {
        StringBuilder doc = new StringBuilder("apiVersion: orchide.io/v1\nkind: Secret\nmetadata: {name: many}\ndata:\n");
        for (int i = 0; i <= Secret.MAX_KEYS; i++) doc.append("  k").append(i).append(": v").append(i).append('\n');
        doc.append("  \"bad key\": hidden-one\n  port: 987654321\n");

        assertThatThrownBy(() -> Manifests.parseSecret(doc.toString()))
                .isInstanceOf(ManifestException.class)
                .satisfies(e -> {
                    List<FieldError> errs = ((ManifestException) e).errors();
                    assertThat(errs).extracting(FieldError::path).contains("data", "data[\"bad key\"]", "data.port");
                    assertThat(e.getMessage()).doesNotContain("hidden-one").doesNotContain("987654321");
                });
    }

    @Test
    void dataAndSealedTogetherOrNeitherAreRefused() {
        assertThatThrownBy(() -> Manifests.parseSecret("apiVersion: orchide.io/v1\nkind: Secret\nmetadata: {name: s}\n"))
                .hasMessageContaining("data: is required");
        assertThatThrownBy(() -> Manifests.parseSecret(SECRET + "sealed: {version: 1, keys: [a], copies: []}\n"))
                .hasMessageContaining("sealed:");
    }

    @Test
    void appEnvTakesAValueFromASecretAndWritesTheReferenceBack() throws Exception {
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: db-client, tenant: ocean-team}
                spec:
                  image: /bin/true
                  runtime: {family: process, monitor: bwrap}
                  env:
                    MODE: fast
                    DB_PASSWORD: {secret: db-creds, key: password}
                """, null);

        assertThat(app.spec().env()).containsExactly(Map.entry("MODE", "fast"));
        assertThat(app.spec().secretEnv()).containsExactly(Map.entry("DB_PASSWORD", new SecretRef("db-creds", "password")));
        assertThat(Manifests.fromJson(Manifests.toJson(app))).isEqualTo(app);
    }

    @Test
    void appSecretMountsAreReadAndWrittenBack() throws Exception {
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: db-client, tenant: ocean-team}
                spec:
                  image: /bin/true
                  runtime: {family: container, monitor: runc}
                  secretMounts:
                    - {secret: db-creds, mountPath: /run/secrets/db}
                """, null);

        assertThat(app.spec().secretMounts()).containsExactly(new SecretMount("db-creds", "/run/secrets/db"));
        assertThat(Manifests.fromJson(Manifests.toJson(app))).isEqualTo(app);
    }

    @Test
    void aSecretReferenceNeedsNameAndKey() {
        assertThatThrownBy(() -> Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: db-client}
                spec:
                  image: /bin/true
                  runtime: {family: process, monitor: bwrap}
                  env:
                    A: {secret: db-creds}
                    B: {secret: Not_A_Name, key: k, other: 1}
                """, null))
                .isInstanceOf(ManifestException.class)
                .satisfies(e -> assertThat(((ManifestException) e).errors()).extracting(FieldError::path)
                        .contains("spec.env.A.key", "spec.env.B.secret", "spec.env.B.other"));
    }

    @Test
    void theSealedBytesAreTheDataAsJson() throws Exception {
        assertThat(new String(SecretWriter.dataJson(Manifests.parseSecret(SECRET))))
                .isEqualTo("{\"password\":\"hunter2-s3cret\",\"user\":\"ocean\"}");
    }
}
