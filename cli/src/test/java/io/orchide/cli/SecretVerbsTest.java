package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A satellite's Secrets and node keys on ground: listed (names and key names, never values), deleted, revoked. */
class SecretVerbsTest {
    private static final String FP = "sha256:" + "ab".repeat(32);

    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void getSecretsListsTheSatellitesSecretsByKeyNames() {
        ground.on("GET /api/v1/satellites/sat-1/desired", 200, """
                {"satellite":"sat-1","items":[
                 {"kind":"App","name":"client","tenant":"ocean","generation":1,"manifest":{}},
                 {"kind":"Secret","name":"db-creds","tenant":"ocean","generation":3,"queued":true,
                  "manifest":{"kind":"Secret","version":3,"keys":["password","user"],"sealedTo":["%s"]}}]}
                """.formatted(FP));
        FakeServer.Result r = ground.run("get", "secrets", "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("NAME +TENANT +KEYS +VERSION +SEALED TO")
                .containsPattern("db-creds +ocean +password,user +3 +1 node key\\(s\\)")
                .doesNotContain("client");

        FakeServer.Result missing = ground.run("get", "secret", "nope", "--satellite", "sat-1");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("no Secret nope in the desired state of sat-1");
        assertThat(ground.run("get", "secrets").err()).contains("get secrets --satellite NAME");
    }

    @Test
    void getNodekeysListsFingerprintsAndStates() {
        ground.on("GET /api/v1/satellites/sat-1/keys", 200, """
                {"name":"sat-1","nodeKeys":[{"fingerprint":"%s","added":"2026-12-01T10:00:00Z","state":"revoked",
                 "addedBy":"op","revoked":"2026-12-02T10:00:00Z"}]}""".formatted(FP));
        FakeServer.Result r = ground.run("get", "nodekeys", "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("FINGERPRINT +STATE +ADDED +BY +REVOKED")
                .containsPattern(FP + " +revoked +2026-12-01T10:00:00Z +op +2026-12-02T10:00:00Z");
    }

    @Test
    void deleteNodekeyRevokesByFingerprintAndDeleteSecretGoesToTheSatellite() {
        ground.on("DELETE /api/v1/satellites/sat-1/keys/" + FP, 200, "{\"name\":\"sat-1\",\"nodeKeys\":[]}");
        FakeServer.Result r = ground.run("delete", "nodekey", FP, "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("revoked");
        assertThat(ground.run("delete", "nodekey", "not-a-fingerprint", "--satellite", "sat-1").err())
                .contains("sha256: and 64 hex digits");

        ground.on("DELETE /api/v1/satellites/sat-1/secrets/db-creds", 200, "{\"generation\":4}");
        FakeServer.Result s = ground.run("delete", "secret", "db-creds", "--satellite", "sat-1");
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.out()).contains("secret/db-creds deletion queued (generation 4");
    }
}
