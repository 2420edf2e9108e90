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
 * The chain of trust from a tenant's key to the payload computer, with real ground and node processes over the mutual
 * TLS link: an operator makes a 2-of-3 root ({@code orchide keys init-root}), delegates image-signing keys to two
 * tenants and gives ground the root and the delegations; a tenant pushes its image signed; ground refuses a signature
 * by a key the root never delegated. The node, whose root was pinned at install, boots the signed image and refuses,
 * without booting anything, an unsigned (tampered) image and another tenant's validly signed image named by an App of
 * this tenant; each refusal names what failed, is in the on-board audit and reaches ground. While the node is out of
 * contact the tenant's key is rotated (the old one revoked): at the next contact the node boots an image signed by the
 * new key, refuses one signed by the old, and keeps running what it verified before. When the root revokes ground's
 * key as director (ground takes that only when the hand-over is forced), the node refuses what that key seals, then
 * refuses at the handshake the ground still on it, and reports the refusal once ground has moved to the new key.
 */
class SignedImagesIT {
    @TempDir
    Path tmp;

    /** A local verb ({@code keys ...}, {@code node init ...}) as a user runs it: its standard output. */
    static String local(String... args) throws Exception {
        Process p = new ProcessBuilder(ServiceProcess.orchide(List.of(), List.of(args))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("orchide %s: %s", String.join(" ", args), err).isZero();
        return out.strip();
    }

    Path app(String name, String tenant, String image) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                  args: ["message=%s", "seconds=3600"]
                  resources: {vcpus: 1, memoryMiB: 32}
                  restart: {policy: Always}
                """.formatted(name, tenant, image, name));
        return f;
    }

    /** A copy of the hello kernel with {@code extra} bytes appended: another image (another digest). */
    Path altered(String name, int extra) throws Exception {
        Path f = tmp.resolve(name);
        byte[] k = Files.readAllBytes(Fixtures.helloKernel("x86_64"));
        byte[] out = java.util.Arrays.copyOf(k, k.length + extra);
        Files.write(f, out);
        return f;
    }

    @Test
    void onlyAnImageSignedByAKeyDelegatedToItsTenantBootsAndEveryRefusalReachesGround() throws Exception {
        Path root = tmp.resolve("root");
        String rootJson = local("keys", "init-root", "--threshold", "2", "--count", "3", "--out", root.toString());
        assertThat(rootJson).isEqualTo(root.resolve("root.json").toString());
        Path ocean = tmp.resolve("ocean"), fire = tmp.resolve("fire"), stray = tmp.resolve("stray");
        for (Path k : List.of(ocean, fire, stray)) local("keys", "gen", "--out", k.toString());
        Path oceanDelegation = tmp.resolve("ocean.delegation.json"), fireDelegation = tmp.resolve("fire.delegation.json");
        local("keys", "delegate", "--tenant", "ocean-team", "--key", ocean + ".pub", "--root", root.resolve("key1").toString(),
                "--root", root.resolve("key3").toString(), "-o", oceanDelegation.toString());
        local("keys", "delegate", "--tenant", "fire-team", "--key", fire + ".pub", "--root", root.resolve("key2").toString(),
                "--root", root.resolve("key3").toString(), "-o", fireDelegation.toString());
        Path n1 = tmp.resolve("n1");
        local("node", "init", "--data-dir", n1.toString(), "--root", rootJson);

        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Cli g = ground.cli();
            NodeHttp gh = ground.http();
            g.ok("create", "tenant", "ocean-team");
            g.ok("create", "tenant", "fire-team");
            // a delegation before ground holds the root is refused, naming what is missing
            Cli.Result early = g.run("keys", "push", oceanDelegation.toString());
            assertThat(early.status()).isNotZero();
            assertThat(early.err()).contains("ground holds no root metadata yet");
            assertThat(g.ok("keys", "push", rootJson, oceanDelegation.toString(), fireDelegation.toString()))
                    .contains("root/root version 1 accepted").contains("delegation/ocean-team version 1 accepted")
                    .contains("delegation/fire-team version 1 accepted");

            String signed = g.ok("image", "push", Fixtures.helloKernel("x86_64").toString(), "--tenant", "ocean-team",
                    "--sign-with", ocean.toString()).strip();
            Cli.Result undelegated = g.run("image", "push", altered("stray.kernel", 3).toString(), "--tenant", "ocean-team",
                    "--sign-with", stray.toString());
            assertThat(undelegated.status()).isNotZero();
            assertThat(undelegated.err()).contains("its signature was refused")
                    .contains("which the root does not delegate to tenant ocean-team");
            String unsigned = g.ok("image", "push", altered("tampered.kernel", 1).toString(), "--tenant", "ocean-team").strip();
            String firesOwn = g.ok("image", "push", altered("fire.kernel", 2).toString(), "--tenant", "fire-team",
                    "--sign-with", fire.toString()).strip();

            g.ok("apply", "-f", app("greeter", "ocean-team", signed).toString(), "--satellite", "sat-1");
            g.ok("apply", "-f", app("tampered", "ocean-team", unsigned).toString(), "--satellite", "sat-1");
            // the platform admin may name any image: the node, not ground, is the last word
            g.ok("apply", "-f", app("swapped", "ocean-team", firesOwn).toString(), "--satellite", "sat-1");

            Agent agent = ground.registeredNode(n1);
            try (Agent node = agent.start()) {
                NodeHttp nh = node.http();
                try {
                    checkOnBoard(g, gh, nh, unsigned, firesOwn);
                } catch (Throwable t) {
                    nh.delete("/api/v1/workloads/greeter"); // its VM would outlive the agent (by design)
                    throw t;
                }
            } // the node goes out of contact; greeter keeps running

            // meanwhile on the ground: ocean-team's key moves to a new one (version 2 of the delegation), the old
            // one revoked with it
            Path ocean2 = tmp.resolve("ocean2");
            local("keys", "gen", "--out", ocean2.toString());
            local("keys", "delegate", "--tenant", "ocean-team", "--key", ocean2 + ".pub", "--root", root.resolve("key2").toString(),
                    "--root", root.resolve("key3").toString(), "-o", oceanDelegation.toString());
            assertThat(g.ok("keys", "push", oceanDelegation.toString())).contains("delegation/ocean-team version 2 accepted");
            Cli.Result revoked = g.run("image", "push", altered("late.kernel", 4).toString(), "--tenant", "ocean-team",
                    "--sign-with", ocean.toString());
            assertThat(revoked.err()).contains("which the root does not delegate to tenant ocean-team (delegation version 2)");
            String renewed = g.ok("image", "push", altered("renewed.kernel", 5).toString(), "--tenant", "ocean-team",
                    "--sign-with", ocean2.toString()).strip();
            g.ok("apply", "-f", app("renewed", "ocean-team", renewed).toString(), "--satellite", "sat-1");
            // an image signed by the old key before its revocation: ground still holds that signature
            g.ok("apply", "-f", app("stale", "ocean-team", signed).toString(), "--satellite", "sat-1");
            // the root now names ground's key as its director: from the next contact on, it alone may seal desired state
            Path directors = tmp.resolve("director.json");
            local("keys", "delegate", "--director", "--key", ground.publicKey().toString(), "--root",
                    root.resolve("key1").toString(), "--root", root.resolve("key2").toString(), "-o", directors.toString());
            assertThat(g.ok("keys", "push", directors.toString())).contains("director/director version 1 accepted");

            try (Agent node = agent.start()) { // the next contact
                NodeHttp nh = node.http();
                try {
                    NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/renewed").path("state").asText(), "Running"::equals);
                    String audit = NodeHttp.await(60, () -> nh.get("/api/v1/audit").path("items").toString(),
                            s -> s.contains("\"name\":\"stale\""));
                    assertThat(audit).contains("not booted: image " + signed + " of tenant ocean-team: is signed by key")
                            .contains("which the root does not delegate to tenant ocean-team (delegation version 2)");
                    assertThat(nh.getOrMissing("/api/v1/workloads/stale").isMissingNode()).isTrue();
                    assertThat(nh.get("/api/v1/workloads/greeter").path("state").asText()).isEqualTo("Running");

                    // the root revokes ground's key as a director (version 2 names another key): the node refuses
                    // what that key seals from then on, with the reason in its audit
                    Path other = tmp.resolve("ground2");
                    local("keys", "gen", "--out", other.toString());
                    local("keys", "delegate", "--director", "--key", other + ".pub", "--root", root.resolve("key2").toString(),
                            "--root", root.resolve("key3").toString(), "-o", directors.toString());
                    // ground refuses to take a document that leaves its own key out, unless the hand-over is forced
                    String own = io.orchide.link.secure.KeyFiles.fingerprint(
                            io.orchide.link.secure.KeyFiles.readPublic(ground.publicKey()));
                    Cli.Result unforced = g.run("keys", "push", directors.toString());
                    assertThat(unforced.status()).isNotZero();
                    assertThat(unforced.err()).contains("do not name this ground's key " + own);
                    assertThat(g.ok("keys", "push", "--allow-foreign-director", directors.toString()))
                            .contains("director/director version 2 accepted");
                    g.ok("apply", "-f", app("after", "ocean-team", renewed).toString(), "--satellite", "sat-1");
                    String refused = NodeHttp.await(60, () -> nh.get("/api/v1/audit").path("items").toString(),
                            a -> a.contains("is not signed by a director key of the root (director keys version 2"));
                    assertThat(refused).contains("signed by " + io.orchide.link.secure.KeyFiles.fingerprint(
                            io.orchide.link.secure.KeyFiles.readPublic(ground.publicKey())));
                    assertThat(nh.getOrMissing("/api/v1/workloads/after").isMissingNode()).isTrue();

                    handOver(ground, nh, other, own, renewed);
                } finally {
                    nh.delete("/api/v1/workloads/greeter");
                    nh.delete("/api/v1/workloads/renewed");
                }
            }
        }
    }

    /**
     * The node holds director keys version 2, which leave ground's key {@code own} out: at its next handshake it refuses
     * the ground still on that key (nothing it queues meanwhile is applied); moved to the newly named key
     * ({@code next}), the same ground is taken again and hears of the refusal at that good contact.
     */
    private void handOver(Ground ground, NodeHttp nh, Path next, String own, String image) throws Exception {
        ground.close(); // the session is cut; the same ground, on its revoked key, comes back at the same address
        ground.start();
        NodeHttp gh = ground.http();
        ground.cli().ok("apply", "-f", app("during", "ocean-team", image).toString(), "--satellite", "sat-1");
        // ground audits each handshake the node breaks off
        NodeHttp.await(60, () -> gh.get("/api/v1/audit?outcome=denied&actor=anonymous").path("items").toString(),
                a -> a.contains("TLS handshake failed"));
        assertThat(nh.getOrMissing("/api/v1/workloads/during").isMissingNode()).isTrue();
        ground.close();

        try (Ground moved = new Ground(ground.dataDir, ground.apiPort, ground.linkPort, "--ground-key-file",
                next + ".key").start()) {
            // its log's name is that of the ground's first start, whose ready line is already there: wait for its API
            String events = NodeHttp.await(90, () -> moved.cli().run("get", "events", "--satellite", "sat-1").out(),
                    out -> out.contains("the node refused a session with the ground at " + ground.link()));
            assertThat(events).contains(own).contains("is not a director key of the root (version 2)");
        }
    }

    private static void checkOnBoard(Cli g, NodeHttp gh, NodeHttp nh, String unsigned, String firesOwn) throws Exception {
        NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
        String audit = NodeHttp.await(60, () -> nh.get("/api/v1/audit").path("items").toString(),
                s -> s.contains("\"name\":\"tampered\"") && s.contains("\"name\":\"swapped\""));
        assertThat(audit).contains("not booted: image " + unsigned + " of tenant ocean-team: is not signed")
                .contains("not booted: image " + firesOwn + " of tenant ocean-team: is signed for tenant fire-team, "
                        + "not for tenant ocean-team");
        assertThat(nh.getOrMissing("/api/v1/workloads/tampered").isMissingNode()).isTrue();
        assertThat(nh.getOrMissing("/api/v1/workloads/swapped").isMissingNode()).isTrue();

        String events = NodeHttp.await(60, () -> g.ok("get", "events", "--satellite", "sat-1"),
                out -> out.contains("App/tampered") && out.contains("App/swapped"));
        assertThat(events).contains("is not signed").contains("is signed for tenant fire-team");
        String denied = NodeHttp.await(60, () -> gh.get("/api/v1/audit?actor=satellite:sat-1/n1&outcome=denied")
                .path("items").toString(), s -> s.contains("apps/tampered") && s.contains("apps/swapped"));
        assertThat(denied).contains("is not signed");
    }
}
