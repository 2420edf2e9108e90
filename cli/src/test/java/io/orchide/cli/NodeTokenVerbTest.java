package io.orchide.cli;

import io.orchide.node.api.NodeToken;
import io.orchide.node.api.TokenGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchide node token}, and what a client verb says when a node wants its token. */
class NodeTokenVerbTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeServer node = FakeServer.node();

    private record Printed(int status, String out, String err) {
    }

    private static Printed nodeVerb(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NodeCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nodeTokenPrintsTheTokenTheNodeMadeAndNothingElse() throws Exception {
        String token = NodeToken.loadOrCreate(dir.resolve("node.token"), new SecureRandom()).value();

        Printed p = nodeVerb("token", "--data-dir", dir.toString());

        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out()).isEqualTo(token + System.lineSeparator());
        assertThat(nodeVerb("token", "--data-dir=" + dir).out()).isEqualTo(p.out());
    }

    @Test
    void nodeTokenFailsNamingTheFileWhenItIsMissingOrOpenToOthers() throws Exception {
        Printed missing = nodeVerb("token", "--data-dir", dir.toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("no node token at " + dir.resolve("node.token")).contains("first start");
        assertThat(missing.out()).isEmpty();

        NodeToken.loadOrCreate(dir.resolve("node.token"), new SecureRandom());
        Files.setPosixFilePermissions(dir.resolve("node.token"), PosixFilePermissions.fromString("rw-r--r--"));
        Printed open = nodeVerb("token", "--data-dir", dir.toString());
        assertThat(open.status()).isEqualTo(1);
        assertThat(open.err()).contains("permissions 0644 for " + dir.resolve("node.token") + " are too open");
        assertThat(open.out()).isEmpty();

        Printed noDir = nodeVerb("token");
        assertThat(noDir.status()).isEqualTo(2);
        assertThat(noDir.err()).contains("--data-dir is required");
    }

    @Test
    void aNodeThatWantsItsTokenIsAnsweredWithHowToGetIt() {
        node.on("GET /api/v1/workloads", 401, "{\"code\":\"unauthenticated\",\"message\":\"" + TokenGate.REFUSAL
                + " (Authorization: Bearer): no token was sent\"}");

        FakeServer.Result r = node.run("get", "workloads");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no token was sent [unauthenticated]")
                .contains("on this machine: export ORCHIDE_TOKEN=$(orchide node token --data-dir DIR)")
                .contains("--token");
    }

    @Test
    void anotherServersRefusalGetsNoHintAboutNodes() {
        node.on("GET /api/v1/workloads", 401, "{\"code\":\"unauthenticated\",\"message\":\"unknown token\"}");

        FakeServer.Result r = node.run("get", "workloads");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("unknown token [unauthenticated]").doesNotContain("node token");
    }
}
