package io.orchide.node;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.Manifests;
import io.orchide.model.Metadata;
import io.orchide.model.Secret;
import io.orchide.model.codec.SecretWriter;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.secret.OwnerOnlyFiles;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.process.BwrapDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Secret sealed to the node's key (as ground seals it) reaches a real process workload's environment when it starts,
 * and nowhere else: not the node's API answers, its database or any other file of its data directory.
 */
class SecretEnvTest {
    private static final String VALUE = "s3cret-Xq9v-for-the-workload-only";

    @TempDir
    Path dir;

    private NodeAgent agent;

    static Secret sealed(String name, String tenant, int version, Map<String, String> data, PublicKey... keys) {
        Secret clear = new Secret(new Metadata(name, tenant, null), data, null);
        List<Secret.Copy> copies = new ArrayList<>();
        for (PublicKey k : keys) {
            String fp = KeyFiles.fingerprint(k);
            SecretSealing.Sealed s = SecretSealing.seal(k, SecretWriter.dataJson(clear),
                    Secret.associatedData(tenant, name, version, fp));
            copies.add(new Secret.Copy(fp, Base64.getEncoder().encodeToString(s.ephemeral()),
                    Base64.getEncoder().encodeToString(s.ciphertext())));
        }
        return clear.withSealed(new Secret.Sealed(version, clear.keys(), copies));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String app(String name, String tenant, String secret) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: /bin/busybox
                  runtime: {family: process, monitor: bwrap}
                  args: [sh, -c, 'printf "%%s:%%s" "$DB_PASSWORD" "$DB_USER" | sha256sum']
                  env:
                    DB_PASSWORD: {secret: %s, key: password}
                    DB_USER: {secret: %s, key: user}
                  restart: {policy: Never}
                """.formatted(name, tenant, secret, secret);
    }

    @Test
    void aSealedSecretReachesAProcessWorkloadsEnvironmentAndNothingElse() throws Exception {
        NodeLayout layout = NodeLayout.of(dir);
        Files.createDirectories(dir);
        KeyPair node = KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null), rc -> List.of(new BwrapDriver(rc)));
        List<String> answers = new ArrayList<>();
        try {
            String secret = Manifests.toJson(sealed("db-creds", "ocean", 1, Map.of("password", VALUE, "user", "ocean-rw"),
                    node.getPublic()));
            HttpResponse<String> stored = call("POST", "/api/v1/apply", secret);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            assertThat(layout.secrets().resolve("db-creds.json")).exists();
            assertThat(OwnerOnlyFiles.looseMode(layout.secrets().resolve("db-creds.json"))).isNull();
            assertThat(OwnerOnlyFiles.looseMode(layout.secrets())).isNull();

            HttpResponse<String> clear = call("POST", "/api/v1/apply", "apiVersion: orchide.io/v1\nkind: Secret\n"
                    + "metadata: {name: plain, tenant: ocean}\ndata: {password: x}\n");
            assertThat(clear.statusCode()).isBetween(400, 499);
            assertThat(clear.body()).contains("apply the Secret to ground");
            HttpResponse<String> notMine = call("POST", "/api/v1/apply", Manifests.toJson(sealed("theirs", "ocean", 1,
                    Map.of("k", "v"), KeyFiles.generate().getPublic())));
            assertThat(notMine.statusCode()).isBetween(400, 499);
            assertThat(notMine.body()).contains("not sealed to this node's key");

            String client = app("client", "ocean", "db-creds");
            HttpResponse<String> applied = call("POST", "/api/v1/apply", client);
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/client/logs", null).body())
                            .contains(sha256(VALUE + ":ocean-rw")));

            HttpResponse<String> thief = call("POST", "/api/v1/apply", app("thief", "fire", "db-creds"));
            answers.add(thief.body());
            assertThat(thief.statusCode()).as(thief.body()).isBetween(400, 499);
            assertThat(thief.body()).contains("no Secret db-creds of tenant fire").contains("spec.env.DB_PASSWORD.secret");
            HttpResponse<String> missing = call("POST", "/api/v1/apply", app("lost", "ocean", "nope"));
            answers.add(missing.body());
            assertThat(missing.statusCode()).as(missing.body()).isBetween(400, 499);
            assertThat(missing.body()).contains("no Secret nope of tenant ocean");

            for (String path : List.of("/api/v1/workloads", "/api/v1/workloads/client",
                    "/api/v1/workloads/client/logs", "/api/v1/audit", "/api/v1/node")) {
                answers.add(call("GET", path, null).body());
            }
            assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContain("Xq9v").doesNotContain("ocean-rw"));
        } finally {
            agent.close();
        }
        assertThat(filesHolding(dir, "Xq9v")).as("no file of the node's holds the clear value").isEmpty();
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAgentWhoseKeyOthersMayReadDoesNotStart() throws Exception {
        NodeLayout layout = NodeLayout.of(dir);
        Files.createDirectories(dir);
        KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        Files.setPosixFilePermissions(layout.nodeKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeAgent.start(new NodeConfig(dir,
                        new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null, 64 * 1024, null, null, null, null),
                        rc -> List.of()).close())
                .hasMessageContaining("node.key").hasMessageContaining("0644").hasMessageContaining("chmod 600");
    }

    static List<Path> filesHolding(Path root, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                try {
                    byte[] hay = Files.readAllBytes(p);
                    outer:
                    for (int i = 0; i + needle.length <= hay.length; i++) {
                        for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
                        return true;
                    }
                    return false;
                } catch (java.io.IOException e) {
                    return false; // a socket or a file gone meanwhile
                }
            }).toList();
        }
    }
}
