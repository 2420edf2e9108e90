package io.orchide.cli.it;

import io.orchide.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link's identities with real processes and real TLS: {@code orchide node init} makes a node's key, an operator
 * registers it with {@code orchide create satellite}; a rogue node (its own key, claiming the same satellite) is refused
 * by ground, which audits the attempt, and takes no desired state; a node pointed at a fake ground (a real
 * {@code orchide ground} with another key, that would serve it) refuses it, takes nothing from it, and reports the
 * refusal at its next good contact.
 */
class SecureLinkIT {
    @TempDir
    Path tmp;

    /** {@code orchide node init --data-dir DIR} as a user runs it: its standard output, the public key's path. */
    static String nodeInit(Path dataDir) throws Exception {
        Process p = new ProcessBuilder(ServiceProcess.orchide(List.of(), List.of("node", "init", "--data-dir", dataDir.toString())))
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(err).contains("node key made: sha256:");
        return out.strip();
    }

    @Test
    void onlyTheRegisteredNodeAndThePinnedGroundTalkAndImpostorsGetNothing() throws Exception {
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start();
             Ground fake = new Ground(tmp.resolve("fake"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Cli g = ground.cli();
            Path hello = Fixtures.hello(tmp, "greeter", "x86_64", "\"message=greeter\", \"seconds=3600\"", "{policy: Always}");
            g.ok("apply", "-f", hello.toString(), "--satellite", "sat-1");
            fake.cli().ok("apply", "-f", hello.toString(), "--satellite", "sat-1");

            Path n1 = tmp.resolve("n1");
            assertThat(nodeInit(n1)).isEqualTo(n1.resolve("node.pub").toString());
            assertThat(Files.getPosixFilePermissions(n1.resolve("node.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
            String before = Files.readString(n1.resolve("node.key"));
            Process again = new ProcessBuilder(ServiceProcess.orchide(List.of(), List.of("node", "init", "--data-dir", n1.toString())))
                    .redirectErrorStream(true).start();
            assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("is not replaced");
            assertThat(again.waitFor()).isEqualTo(1);
            assertThat(Files.readString(n1.resolve("node.key"))).isEqualTo(before);
            assertThat(g.ok("create", "satellite", "sat-1", "--node-key", n1.resolve("node.pub").toString()))
                    .startsWith("satellite/sat-1 created; node keys: sha256:");
            // the fake ground would serve the node: it knows its key too
            fake.cli().ok("create", "satellite", "sat-1", "--node-key", n1.resolve("node.pub").toString());

            // a rogue node: its own key, claiming sat-1, pinning the real ground's key
            Path rogueDir = tmp.resolve("rogue");
            nodeInit(rogueDir);
            String rogueKey = fingerprintOf(rogueDir);
            try (Agent rogue = new Agent(rogueDir, Fixtures.freePort(), "--satellite", "sat-1", "--ground", ground.link(),
                    "--ground-key", ground.publicKey().toString(), "--node-name", "rogue").start()) {
                String denied = NodeHttp.await(60, () -> g.ok("get", "audit", "--outcome", "denied", "-o", "json"), out -> out.contains(rogueKey));
                assertThat(denied).contains("satellites/sat-1/link").contains("connect");
                assertThat(rogue.http().get("/api/v1/workloads").path("items")).isEmpty();
                assertThat(g.ok("get", "satellites")).doesNotContain("rogue");
            }

            // the real node, pointed first at the fake ground, then the real one
            try (Agent node = new Agent(n1, Fixtures.freePort(), "--satellite", "sat-1",
                    "--ground", fake.link() + "," + ground.link(), "--ground-key", ground.publicKey().toString(),
                    "--node-name", "n1").start()) {
                NodeHttp nh = node.http();
                try {
                    servedByTheRealGroundOnly(nh, g, fake);
                } finally {
                    nh.delete("/api/v1/workloads/greeter"); // its VM would outlive the agent (by design) and load later tests
                }
            }
        }
    }

    /** The node runs what the real ground sent, reported the fake one to it, and the fake one never had it. */
    private static void servedByTheRealGroundOnly(NodeHttp nh, Cli g, Ground fake) throws Exception {
        NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
        String events = NodeHttp.await(60, () -> g.ok("get", "events", "--satellite", "sat-1"),
                out -> out.contains("the node refused a session with the ground at " + fake.link()));
        assertThat(events).contains("is not ground's pinned key");
        // the fake ground never had the node: it holds no contact and no report of it
        assertThat(fake.http().get("/api/v1/satellites/sat-1").path("nodes")).isEmpty();
        assertThat(fake.http().get("/api/v1/satellites/sat-1/workloads").path("items")).isEmpty();
    }

    private static String fingerprintOf(Path dataDir) throws Exception {
        return io.orchide.link.secure.KeyFiles.fingerprint(io.orchide.link.secure.KeyFiles.readPublic(dataDir.resolve("node.pub")));
    }
}
