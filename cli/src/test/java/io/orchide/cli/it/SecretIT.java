package io.orchide.cli.it;

import io.orchide.link.secure.EncryptedKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Secret with real processes: applied to a ground whose key is encrypted at rest, sealed to the registered node's
 * key, carried over the secure link, and opened by the node only into a container's environment at its start. The
 * value is in none of ground's files, answers or logs, nor in the node's database, its secrets or its answers.
 */
class SecretIT {
    private static final String VALUE = "pa55-Zr4w-in-orbit-only";

    @TempDir
    Path tmp;

    @Test
    void aSecretAppliedToGroundReachesTheContainersEnvironmentOnBoardAndNothingElse() throws Exception {
        Path pass = Files.writeString(tmp.resolve("passphrase"), "orbit-7\n");
        Path groundDir = tmp.resolve("g");
        try (Ground ground = new Ground(groundDir, Fixtures.freePort(), Fixtures.freePort(),
                "--key-passphrase-file", pass.toString()).start()) {
            assertThat(EncryptedKeys.isEncrypted(ground.keyFile())).as("made encrypted at the first start").isTrue();
            Cli g = ground.cli();
            Path nodeDir = tmp.resolve("n1");
            try (Agent node = ground.registeredNode(nodeDir).start()) {
                Path secret = Files.writeString(tmp.resolve("secret.yaml"), """
                        apiVersion: orchide.io/v1
                        kind: Secret
                        metadata: {name: db-creds}
                        data:
                          password: "%s"
                          user: ocean-rw
                        """.formatted(VALUE));
                assertThat(g.ok("apply", "-f", secret.toString(), "--satellite", "sat-1")).contains("secret/db-creds");
                Path app = Files.writeString(tmp.resolve("client.yaml"), """
                        apiVersion: orchide.io/v1
                        kind: App
                        metadata: {name: client}
                        spec:
                          image: %s
                          runtime: {family: container, monitor: runc}
                          args: ["/bin/sh", "-c", "printf '%%s:%%s' \\"$DB_PASSWORD\\" \\"$DB_USER\\" | sha256sum; sleep 600"]
                          env:
                            DB_PASSWORD: {secret: db-creds, key: password}
                            DB_USER: {secret: db-creds, key: user}
                          resources: {vcpus: 1, memoryMiB: 32}
                        """.formatted(Fixtures.busyboxRootfs()));
                g.ok("apply", "-f", app.toString(), "--satellite", "sat-1");
                NodeHttp nh = node.http();
                try {
                    String expected = sha256(VALUE + ":ocean-rw");
                    String logs = NodeHttp.await(120, () -> node.cli().run("logs", "client").out(),
                            out -> out.contains(expected));
                    assertThat(logs).doesNotContain(VALUE);

                    String listed = g.ok("get", "secrets", "--satellite", "sat-1");
                    assertThat(listed).containsPattern("db-creds +default +password,user");
                    List<String> answers = new ArrayList<>(List.of(listed,
                            g.ok("get", "secret", "db-creds", "--satellite", "sat-1", "-o", "json"),
                            g.ok("get", "audit", "-o", "json"),
                            ground.http().get("/api/v1/satellites/sat-1/desired").toString(),
                            g.ok("get", "events", "--satellite", "sat-1"),
                            nh.get("/api/v1/workloads/client").toString(),
                            nh.get("/api/v1/audit").toString()));
                    assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContain("Zr4w"));
                    assertThat(g.ok("get", "audit", "--outcome", "allowed", "-o", "json"))
                            .as("the contact is audited").contains("satellites/sat-1/link");
                } finally {
                    nh.delete("/api/v1/workloads/client");
                }
            }
        }
        // a container's value is in its OCI bundle while it runs (docs/security.md#secrets): its run directories aside,
        // no file of ground or of the node, and no log of either process, holds it
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.equals(tmp.resolve("secret.yaml")) || p.startsWith(tmp.resolve("n1").resolve("workloads"))) continue;
                if (contains(p, "Zr4w")) holding.add(p);
            }
        }
        assertThat(holding).isEmpty();
    }

    private static boolean contains(Path p, String text) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false; // a socket, or a file gone meanwhile
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
