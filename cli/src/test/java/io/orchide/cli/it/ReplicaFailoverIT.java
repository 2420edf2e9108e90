package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code orchide ground} replicas on one PostgreSQL, the password in a file, and a real {@code orchide node}
 * given both link addresses: the replica serving the node is killed with kill -9, and the node moves to the other on
 * its own once the dead replica's lease ends; the other then serves it (a change applied through it arrives). And the
 * serving replica frozen with SIGSTOP instead: the node ends the silent session after its idle timeout and moves on.
 */
class ReplicaFailoverIT {
    @TempDir
    Path tmp;

    /**
     * The greeter applied in each test runs for an hour and, as workloads do, outlives the agent: it and the agent's
     * shim spawner are ended here, found by the test's directory, so that they do not weigh on the tests after this one.
     */
    @AfterEach
    void endWorkloads() {
        for (ProcessHandle p : Fixtures.processesMentioning(tmp.toString())) p.destroyForcibly();
    }

    @Test
    void aNodeMovesToTheOtherReplicaAfterKillNineAndIsServedThere() throws Exception {
        String url = TestPostgres.newDatabase();
        // the password travels in a file, not on the command line
        String bare = url.replaceFirst("[&?]password=[^&]*", "");
        String password = url.replaceFirst(".*[&?]password=([^&]*).*", "$1");
        Path pw = Files.writeString(tmp.resolve("db-password"), password + "\n");
        String[] db = {"--db", bare, "--db-password-file", pw.toString(), "--session-lease", "6s",
                "--admin-token-file", tmp.resolve("admin.token").toString()};
        int nodePort = Fixtures.freePort();
        try (Ground a = new Ground(tmp.resolve("a"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Ground b = new Ground(tmp.resolve("b"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Agent node = a.registered("sat-1", new Agent(tmp.resolve("n1"), nodePort, "--satellite", "sat-1",
                     "--ground", a.link() + "," + b.link(), "--ground-key", a.publicKey().toString(), "--node-name", "n1"))
                     .start()) {
            assertThat(Files.readString(tmp.resolve("a-ground-1.log"))).contains("session lease 6s")
                    .doesNotContain(password + "@").doesNotContain("password=" + password);
            NodeHttp nh = node.http();
            NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                    d -> d.path("connected").asBoolean() && d.path("current").asText().equals(a.link()));
            // registered through A, seen through B: one state on one database
            NodeHttp gb = b.http();
            NodeHttp.await(60, () -> gb.getOrMissing("/api/v1/satellites/sat-1").path("nodes").path(0).path("name").asText(),
                    "n1"::equals);

            a.kill9();

            JsonNode dial = NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                    d -> d.path("connected").asBoolean() && d.path("current").asText().equals(b.link()));
            assertThat(dial.path("current").asText()).isEqualTo(b.link());
            // B serves the node: desired state applied through B reaches it
            Path app = Fixtures.hello(tmp, "greeter", "x86_64", "\"message=greeter\", \"seconds=3600\"", "{policy: Always}");
            assertThat(b.cli().ok("apply", "-f", app.toString(), "--satellite", "sat-1"))
                    .contains("app/greeter created");
            NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
            // B's log shows it refused the node while A's lease ran, naming it
            assertThat(Files.readString(tmp.resolve("b-ground-1.log")))
                    .contains("session with sat-1 is held by ground-").contains("-" + a.pid() + "-")
                    .contains("under a lease that expires at");
        }
    }

    @Test
    void aNodeLeavesAFrozenReplicaOnceItFallsSilentAndTheResumedReplicaLeavesTheSessionAlone() throws Exception {
        String url = TestPostgres.newDatabase();
        // the lease ends before the idle timeout, as with the defaults (10 s and 20 s), all shorter to keep it brief
        String[] live = {"--link-keepalive", "500ms", "--link-idle-timeout", "5s"};
        String[] db = {"--db", url, "--session-lease", "3s", live[0], live[1], live[2], live[3],
                "--admin-token-file", tmp.resolve("admin.token").toString()};
        try (Ground a = new Ground(tmp.resolve("a"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Ground b = new Ground(tmp.resolve("b"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Agent node = a.registered("sat-1", new Agent(tmp.resolve("n1"), Fixtures.freePort(), "--satellite", "sat-1",
                     "--ground", a.link() + "," + b.link(), "--ground-key", a.publicKey().toString(), "--node-name", "n1",
                     live[0], live[1], live[2], live[3])).start()) {
            NodeHttp nh = node.http();
            NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                    d -> d.path("connected").asBoolean() && d.path("current").asText().equals(a.link()));

            signal("STOP", a.pid());
            try {
                // A's kernel keeps the connection open and answers nothing: the silence is what tells the node
                NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                        d -> d.path("connected").asBoolean() && d.path("current").asText().equals(b.link()));
                assertThat(nh.get("/api/v1/link").path("peers").path(0).path("lastSessionEnd").asText())
                        .startsWith("dead: nothing received from ground for ").endsWith("(idle timeout 5.0 s)");
                try (var logs = Files.list(tmp)) {
                    Path log = logs.filter(f -> f.getFileName().toString().startsWith("n1-agent-")).findFirst().orElseThrow();
                    assertThat(Files.readString(log)).contains("is dead: nothing received from ground for ");
                }
            } finally {
                signal("CONT", a.pid());
            }

            // A runs again: it finds its lease taken and its session gone, drops the session and leaves B serving
            NodeHttp ga = a.http();
            NodeHttp.await(60, () -> ga.get("/api/v1/link").path("peers").path(0),
                    p -> p.path("peer").asText().equals("sat-1") && !p.path("connected").asBoolean());
            Path app = Fixtures.hello(tmp, "greeter", "x86_64", "\"message=greeter\", \"seconds=3600\"", "{policy: Always}");
            assertThat(a.cli().ok("apply", "-f", app.toString(), "--satellite", "sat-1"))
                    .contains("app/greeter created");
            NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
            assertThat(nh.get("/api/v1/link").path("dial").path("current").asText()).isEqualTo(b.link());
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(k.waitFor()).as("kill -%s %d", name, pid).isZero();
    }
}
