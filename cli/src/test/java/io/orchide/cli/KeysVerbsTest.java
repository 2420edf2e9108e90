package io.orchide.cli;

import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's side of the chain of trust, made offline: roots, delegations, revocations and root rotations. */
class KeysVerbsTest {
    @TempDir
    Path tmp;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            PrintStream said = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setOut(quiet);
            System.setErr(said); // what a verb tells the user besides its errors
            return Main.run(args, quiet, said);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    SignedDocument read(Path f) throws Exception {
        return SignedDocument.parse(Files.readString(f), f.toString());
    }

    @Test
    void aRootIsMadeSignedByItsKeysAndRotatedWithTheOldThresholdAndTheNew() throws Exception {
        Path root = tmp.resolve("root");
        assertThat(run("keys", "init-root", "--threshold", "2", "--count", "3", "--out", root.toString())).isZero();
        RootMetadata v1 = RootMetadata.pinned(read(root.resolve("root.json")));
        assertThat(v1.keys()).hasSize(3);
        assertThat(Files.getPosixFilePermissions(root.resolve("key1.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");

        Path next = tmp.resolve("root2");
        assertThat(run("keys", "rotate-root", "--current", root.resolve("root.json").toString(), "--sign",
                root.resolve("key1").toString(), "--out", next.toString())).isOne();
        assertThat(err.toString()).contains("--sign: root metadata version 2").contains("2 are needed");
        assertThat(next).isEmptyDirectory(); // the keys of a refused rotation are not kept
        assertThat(run("keys", "rotate-root", "--current", root.resolve("root.json").toString(), "--sign",
                root.resolve("key1").toString(), "--sign", root.resolve("key3.key").toString(), "--threshold", "1",
                "--count", "1", "--out", tmp.resolve("root3").toString())).isZero();
        assertThat(v1.next(read(tmp.resolve("root3/root.json"))).version()).isEqualTo(2);
    }

    @Test
    void aDelegationMovesForwardAndARevocationDropsTheKey() throws Exception {
        Path root = tmp.resolve("root");
        run("keys", "init-root", "--out", root.toString());
        run("keys", "gen", "--out", tmp.resolve("a").toString());
        run("keys", "gen", "--out", tmp.resolve("b").toString());
        Path out = tmp.resolve("ocean.json");
        String[] roots = {"--root", root.resolve("key1").toString(), "--root", root.resolve("key2").toString(), "-o", out.toString()};
        assertThat(run(concat(new String[]{"keys", "delegate", "--tenant", "ocean", "--key", tmp.resolve("a.pub").toString(),
                "--key", tmp.resolve("b.pub").toString()}, roots))).isZero();
        RootMetadata r = RootMetadata.pinned(read(root.resolve("root.json")));
        Delegation v1 = Delegation.verify(r, read(out), null);
        assertThat(v1.keys()).hasSize(2);
        assertThat(run(concat(new String[]{"keys", "revoke", "--tenant", "ocean", "--key", tmp.resolve("a.pub").toString()}, roots)))
                .isZero();
        Delegation v2 = Delegation.verify(r, read(out), v1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.keys()).hasSize(1).doesNotContainKey(v1.keys().keySet().stream()
                .filter(k -> !v2.keys().containsKey(k)).findFirst().orElseThrow());
        assertThat(run(concat(new String[]{"keys", "revoke", "--tenant", "ocean", "--key", tmp.resolve("a.pub").toString()}, roots)))
                .isOne();
        assertThat(err.toString()).contains("is not delegated to tenant ocean");
    }

    @Test
    void badCountsAndABusyDirectoryChangeNothing() throws Exception {
        assertThat(run("keys", "init-root", "--threshold", "4", "--count", "3", "--out", tmp.resolve("r").toString())).isOne();
        assertThat(err.toString()).contains("--threshold: must be between 1 and --count (3) (got 4)");
        assertThat(tmp.resolve("r")).doesNotExist();
        Files.writeString(tmp.resolve("busy"), "x");
        assertThat(run("keys", "init-root", "--out", tmp.toString())).isOne();
        assertThat(err.toString()).contains("--out: must be a new or an empty directory");
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void directorKeysAreNamedAndRevokedUnderTheRoot() throws Exception {
        Path root = tmp.resolve("root");
        run("keys", "init-root", "--out", root.toString());
        run("keys", "gen", "--out", tmp.resolve("ground").toString());
        run("keys", "gen", "--out", tmp.resolve("ground2").toString());
        Path out = tmp.resolve("director.json");
        String[] roots = {"--root", root.resolve("key1").toString(), "--root", root.resolve("key3").toString(), "-o", out.toString()};
        assertThat(run(concat(new String[]{"keys", "delegate", "--director", "--tenant", "ocean", "--key",
                tmp.resolve("ground.pub").toString()}, roots))).isOne();
        assertThat(err.toString()).contains("--tenant ocean: not with --director");
        assertThat(run(concat(new String[]{"keys", "delegate", "--director", "--key", tmp.resolve("ground.pub").toString(),
                "--key", tmp.resolve("ground2.pub").toString()}, roots))).isZero();
        RootMetadata r = RootMetadata.pinned(read(root.resolve("root.json")));
        DirectorKeys v1 = DirectorKeys.verify(r, read(out), null);
        assertThat(v1.keys()).hasSize(2);

        assertThat(run(concat(new String[]{"keys", "revoke", "--director", "--key", tmp.resolve("ground.pub").toString()}, roots)))
                .isZero();
        DirectorKeys v2 = DirectorKeys.verify(r, read(out), v1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.names(io.orchide.link.secure.KeyFiles.readPublic(tmp.resolve("ground.pub")))).isFalse();
        assertThat(v2.names(io.orchide.link.secure.KeyFiles.readPublic(tmp.resolve("ground2.pub")))).isTrue();

        // the last one stays: without a director, no node with this root would take desired state again
        assertThat(run(concat(new String[]{"keys", "revoke", "--director", "--key", tmp.resolve("ground2.pub").toString()}, roots)))
                .isOne();
        assertThat(err.toString()).contains("revoking every director key would leave nodes with this root no ground");
        assertThat(DirectorKeys.read(read(out)).version()).isEqualTo(2);
    }

    /**
     * A director document that leaves out the key of the ground it is pushed to would have nodes refuse that ground
     * from their next contact: a real ground refuses it naming the key, and takes it only when the hand-over is forced,
     * with both audited.
     */
    @Test
    void pushRefusesDirectorKeysThatLeaveOutThisGroundsKeyUnlessTheHandOverIsForced() throws Exception {
        Path g = tmp.resolve("g");
        try (io.orchide.ground.GroundServer ground = io.orchide.ground.GroundServer.start(io.orchide.ground.GroundConfig
                .builder().dataDir(g).listen(new java.net.InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0").build())) {
            String token = Files.readString(g.resolve("admin.token")).strip();
            String[] server = {"--server", "http://127.0.0.1:" + ground.apiAddress().getPort(), "--token", token};
            String own = ground.groundKeyFingerprint();
            Path root = tmp.resolve("root");
            run("keys", "init-root", "--out", root.toString());
            run("keys", "gen", "--out", tmp.resolve("ground2").toString());
            Path out = tmp.resolve("director.json");
            String[] roots = {"--root", root.resolve("key1").toString(), "--root", root.resolve("key2").toString(), "-o", out.toString()};
            assertThat(run(concat(new String[]{"keys", "push", root.resolve("root.json").toString()}, server))).isZero();
            assertThat(run(concat(new String[]{"keys", "delegate", "--director", "--key", tmp.resolve("ground2.pub").toString()},
                    roots))).isZero();

            err.reset();
            assertThat(run(concat(new String[]{"keys", "push", out.toString()}, server))).isOne();
            assertThat(err.toString()).contains("keys: director keys version 1 do not name this ground's key " + own)
                    .contains("--allow-foreign-director");
            io.orchide.client.http.HttpApi admin = new io.orchide.client.http.HttpApi(
                    java.net.URI.create(server[1]), io.orchide.client.http.Transfers.NONE, token);
            assertThat(admin.get("/api/v1/trust").path("items").findValuesAsText("_type")).containsExactly("root");

            err.reset();
            assertThat(run(concat(new String[]{"keys", "push", "--allow-foreign-director", out.toString()}, server))).isZero();
            assertThat(err.toString()).contains("this ground's key " + own + " is not a director key any more");
            // the same document again changes nothing, forced or not
            assertThat(run(concat(new String[]{"keys", "push", out.toString()}, server))).isZero();
            assertThat(admin.get("/api/v1/trust").path("items").findValuesAsText("_type")).containsExactly("root", "director");
            assertThat(admin.get("/api/v1/audit?outcome=denied").path("items").toString())
                    .contains("trust/director").contains("own_key_left_out").contains(own);
            assertThat(admin.get("/api/v1/audit?outcome=allowed").path("items").toString())
                    .contains("taken without this ground's key " + own + " (allowForeignDirector)");
        }
    }
}
