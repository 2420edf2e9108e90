package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.Manifests;
import io.orchide.model.Secret;
import io.orchide.model.message.DesiredChange;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's Secret applied to ground: sealed to the satellite's node keys before anything is stored, never shown or
 * kept in clear, and usable only by the same tenant's Apps.
 */
class SecretDesiredTest {
    static final String SAT = "/api/v1/satellites/sat-1";
    static final String VALUE = "hunter2-k7Qz-only-in-the-apply";

    @TempDir
    Path tmp;
    GroundServer ground;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    static String secret(String name, String tenant) {
        return "apiVersion: orchide.io/v1\nkind: Secret\nmetadata: {name: " + name
                + (tenant == null ? "" : ", tenant: " + tenant) + "}\ndata:\n  password: " + VALUE + "\n  user: ocean\n";
    }

    static String app(String name, String secret, String key) {
        return "apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: " + name + "}\nspec:\n  image: /bin/true\n"
                + "  runtime: {family: process, monitor: bwrap}\n  env:\n    DB_PASSWORD: {secret: " + secret + ", key: " + key + "}\n";
    }

    @Test
    void aSecretIsSealedToTheNodeKeysNeverKeptOrShownInClearAndOnlyItsTenantUsesIt() throws Exception {
        FakeUplink uplink = new FakeUplink(new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        Path tokenFile = tmp.resolve("admin.token");
        Path data = tmp.resolve("ground");
        ground = GroundServer.start(GroundConfig.builder().dataDir(data)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        Api admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        KeyPair node = KeyFiles.generate();
        assertThat(admin.post("/api/v1/satellites", "{\"name\": \"sat-1\", \"nodeKeys\": [\""
                + KeyFiles.pem(node.getPublic()).replace("\n", "\\n") + "\"]}").status()).isEqualTo(201);
        admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}");
        admin.post("/api/v1/tenants", "{\"name\": \"fire\"}");
        Api ocean = admin.as(admin.token("ocean", "developer", "1d"));
        Api fire = admin.as(admin.token("fire", "developer", "1d"));

        Api.Reply applied = ocean.post(SAT + "/apply", secret("db-creds", null));
        assertThat(applied.status()).isEqualTo(201);
        assertThat(new String(applied.raw(), StandardCharsets.UTF_8)).doesNotContain(VALUE);
        DesiredChange sent = DesiredChange.decode(uplink.queued.get(applied.json().path("items").get(0).path("bundle").asText()).payload());
        assertThat(sent.kind()).isEqualTo(DesiredChange.SECRET);
        assertThat(sent.manifest()).doesNotContain(VALUE);
        Secret sealed = Manifests.parseSecret(sent.manifest());
        assertThat(sealed.metadata().tenant()).isEqualTo("ocean");
        assertThat(sealed.keys()).containsExactly("password", "user");
        assertThat(sealed.sealed().copies()).hasSize(1);
        Secret.Copy copy = sealed.sealed().copies().getFirst();
        assertThat(copy.nodeKey()).isEqualTo(KeyFiles.fingerprint(node.getPublic()));
        byte[] opened = SecretSealing.open(node.getPrivate(), new SecretSealing.Sealed(Base64.getDecoder().decode(copy.ephemeral()),
                Base64.getDecoder().decode(copy.ciphertext())), Secret.associatedData("ocean", "db-creds", sent.generation(), copy.nodeKey()));
        assertThat(new String(opened, StandardCharsets.UTF_8)).contains(VALUE);

        Api.Reply listed = ocean.get(SAT + "/desired");
        assertThat(listed.json().path("items").get(0).path("manifest").path("keys").toString()).isEqualTo("[\"password\",\"user\"]");
        assertThat(new String(listed.raw(), StandardCharsets.UTF_8)).doesNotContain(VALUE).doesNotContain(copy.ciphertext());
        assertThat(fire.get(SAT + "/desired").json().path("items")).as("another tenant sees nothing of it").isEmpty();

        int bundles = uplink.ids().size();
        Api.Reply borrowed = fire.post(SAT + "/apply", app("thief", "db-creds", "password"));
        assertThat(borrowed.status()).isEqualTo(400);
        assertThat(borrowed.json().path("field").asText()).isEqualTo("spec.env.DB_PASSWORD.secret");
        assertThat(fire.post(SAT + "/apply", secret("db-creds", null)).status()).as("the name is ocean's").isEqualTo(403);
        assertThat(fire.delete(SAT + "/secrets/db-creds").status()).isEqualTo(404);
        Api.Reply noKey = ocean.post(SAT + "/apply", app("client", "db-creds", "pasword"));
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().path("field").asText()).isEqualTo("spec.env.DB_PASSWORD.key");
        Api.Reply missing = ocean.post(SAT + "/apply", app("client", "nope", "password"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("message").asText()).contains("nope");
        String mounting = "apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: files}\nspec:\n  image: /bin/true\n"
                + "  runtime: {family: process, monitor: bwrap}\n  secretMounts:\n    - {secret: db-creds, mountPath: /run/secrets/db}\n";
        Api.Reply borrowedFiles = fire.post(SAT + "/apply", mounting);
        assertThat(borrowedFiles.status()).isEqualTo(400);
        assertThat(borrowedFiles.json().path("field").asText()).isEqualTo("spec.secretMounts[0].secret");
        Api.Reply preSealed = ocean.post(SAT + "/apply", sent.manifest());
        assertThat(preSealed.status()).isEqualTo(400);
        assertThat(preSealed.json().path("field").asText()).isEqualTo("sealed");
        Api.Reply keyless = ocean.post("/api/v1/satellites/sat-2/apply", secret("db-creds", null));
        assertThat(keyless.status()).isEqualTo(409);
        assertThat(keyless.json().path("message").asText()).contains("sat-2").contains("node key");
        assertThat(uplink.ids()).as("nothing refused went up").hasSize(bundles);

        Api.Reply client = ocean.post(SAT + "/apply", app("client", "db-creds", "password"));
        assertThat(client.status()).isEqualTo(201);
        assertThat(ocean.post(SAT + "/apply", mounting).status()).isEqualTo(201);

        assertThat(ocean.delete(SAT + "/secrets/db-creds").status()).isEqualTo(200);
        assertThat(filesHolding(data, VALUE)).as("no file of ground's holds the clear value").isEmpty();
        assertThat(filesHolding(data, "k7Qz")).isEmpty();
    }

    /** The files under {@code dir} (the database, its WAL, the audit log) whose bytes hold {@code text}. */
    static List<Path> filesHolding(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                try {
                    return indexOf(Files.readAllBytes(p), needle) >= 0;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
