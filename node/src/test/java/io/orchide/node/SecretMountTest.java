package io.orchide.node;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.Metadata;
import io.orchide.model.Secret;
import io.orchide.model.codec.SecretWriter;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.secret.NodeSecrets;
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
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real process workload (bubblewrap) whose App names {@code spec.secretMounts} reads the Secret's keys as files at
 * the mount path, on a tmpfs, readable by its owner only; the value is in no file of the node's data directory, and
 * the tmpfs files are gone once the attempt has ended.
 */
class SecretMountTest {
    @TempDir
    Path dir;

    private NodeAgent agent;
    private Path tokenDir;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(tokenDir == null ? dir : tokenDir).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Secret sealed(KeyPair node, String name, Map<String, String> data) {
        Secret clear = new Secret(new Metadata(name, "ocean", null), data, null);
        String fp = KeyFiles.fingerprint(node.getPublic());
        SecretSealing.Sealed s = SecretSealing.seal(node.getPublic(), SecretWriter.dataJson(clear),
                Secret.associatedData("ocean", name, 1, fp));
        return clear.withSealed(new Secret.Sealed(1, clear.keys(), List.of(new Secret.Copy(fp,
                Base64.getEncoder().encodeToString(s.ephemeral()), Base64.getEncoder().encodeToString(s.ciphertext())))));
    }

    static boolean anyFileHolds(Path root, String value) throws Exception {
        if (!Files.exists(root)) return false;
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] b;
                try {
                    b = Files.readAllBytes(p);
                } catch (java.io.IOException gone) {
                    continue;
                }
                if (new String(b, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1))) return true;
            }
        }
        return false;
    }

    @Test
    void aProcessReadsItsSecretAsOwnerOnlyFilesOnATmpfsThatGoWhenItEnds() throws Exception {
        NodeLayout layout = NodeLayout.of(dir);
        Files.createDirectories(dir);
        KeyPair node = KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        String value = "pw-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
        new NodeSecrets(layout.secrets(), layout.nodeKey(), layout.nodePublicKey())
                .apply(sealed(node, "db", Map.of("password", value, "user", "ocean")));

        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null, null, null), rc -> List.of(new BwrapDriver(rc)));
        try {
            HttpResponse<String> r = call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: reader, tenant: ocean}
                    spec:
                      image: /bin/sh
                      runtime: {family: process, monitor: bwrap}
                      args: [-c, 'echo "value=$(cat /run/secrets/db/password) user=$(cat /run/secrets/db/user)"; stat -f -c "fs=%T" /run/secrets/db/password; stat -c "mode=%a" /run/secrets/db/password; echo done']
                      secretMounts:
                        - {secret: db, mountPath: /run/secrets/db}
                      restart: {policy: Never}
                    """);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call("GET", "/api/v1/workloads/reader/logs", null).body())
                            .contains("value=" + value + " user=ocean", "fs=tmpfs", "mode=400", "done"));
            // the workload's record keeps the App as applied: the Secret's name and path, not its values
            assertThat(call("GET", "/api/v1/workloads/reader", null).body()).contains("/run/secrets/db").doesNotContain(value);
            Path shm = Path.of("/dev/shm", "orchide-secrets-" + System.getProperty("user.name", "agent"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !anyFileHolds(shm, value));
            // the console holds what the process printed; nothing else of the data directory holds the value
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("console")).toList()) {
                    if (p.toString().contains("/workloads/reader/")) continue; // the run's console ring
                    assertThat(anyFileHolds(p, value)).as(p.toString()).isFalse();
                }
            }
        } finally {
            agent.close();
        }
    }

    @Test
    void aContainerReadsItsSecretFromAReadOnlyTmpfsMount() throws Exception {
        Path data = dir.resolve("node");
        NodeLayout layout = NodeLayout.of(data);
        Files.createDirectories(data);
        KeyPair node = KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        String value = "pw-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
        new NodeSecrets(layout.secrets(), layout.nodeKey(), layout.nodePublicKey())
                .apply(sealed(node, "db", Map.of("password", value)));
        Path rootfs = io.orchide.testkit.BusyboxRootfs.create(dir.resolve("rootfs"));
        agent = NodeAgent.start(new NodeConfig(data, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null, null, null),
                rc -> List.of(new io.orchide.runtime.oci.OciDriver(rc, io.orchide.model.Monitor.RUNC)));
        tokenDir = data;
        try {
            HttpResponse<String> r = call("POST", "/api/v1/apply", """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: boxed, tenant: ocean}
                    spec:
                      image: %s
                      runtime: {family: container, monitor: runc}
                      args: [/bin/sh, -c, 'echo "value=$(cat /run/secrets/db/password)"; grep " /run/secrets/db " /proc/mounts; ls -l /run/secrets/db; echo done']
                      resources: {memoryMiB: 64}
                      secretMounts:
                        - {secret: db, mountPath: /run/secrets/db}
                      restart: {policy: Never}
                    """.formatted(rootfs));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String logs = call("GET", "/api/v1/workloads/boxed/logs", null).body();
                assertThat(logs).contains("value=" + value, "-r--------", "done");
                assertThat(logs).containsPattern("/run/secrets/db tmpfs ro[,\\s]");
            });
        } finally {
            agent.close();
        }
    }
}
