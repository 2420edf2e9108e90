package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code orchide ground} replicas on one PostgreSQL, the password in a file, and a real {@code orchide node}
 * given both link addresses: the replica serving the node is killed with kill -9, and the node moves to the other on
 * its own once the dead replica's lease ends; the other then serves it (a change applied through it arrives).
 */
class ReplicaFailoverIT {
    @TempDir
    Path tmp;

    @Test
    void aNodeMovesToTheOtherReplicaAfterKillNineAndIsServedThere() throws Exception {
        String url = TestPostgres.newDatabase();
        // the password travels in a file, not on the command line
        String bare = url.replaceFirst("[&?]password=[^&]*", "");
        String password = url.replaceFirst(".*[&?]password=([^&]*).*", "$1");
        Path pw = Files.writeString(tmp.resolve("db-password"), password + "\n");
        String[] db = {"--db", bare, "--db-password-file", pw.toString(), "--session-lease", "6s"};
        int nodePort = Fixtures.freePort();
        try (Ground a = new Ground(tmp.resolve("a"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Ground b = new Ground(tmp.resolve("b"), Fixtures.freePort(), Fixtures.freePort(), db).start();
             Agent node = new Agent(tmp.resolve("n1"), nodePort, "--satellite", "sat-1",
                     "--ground", a.link() + "," + b.link(), "--node-name", "n1").start()) {
            assertThat(Files.readString(tmp.resolve("a-ground-1.log"))).contains("session lease 6s")
                    .doesNotContain(password + "@").doesNotContain("password=" + password);
            NodeHttp nh = node.http();
            NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                    d -> d.path("connected").asBoolean() && d.path("current").asText().equals(a.link()));
            // registered through A, seen through B: one state on one database
            NodeHttp gb = new NodeHttp(b.server());
            NodeHttp.await(60, () -> gb.getOrMissing("/api/v1/satellites/sat-1").path("nodes").path(0).path("name").asText(),
                    "n1"::equals);

            a.kill9();

            JsonNode dial = NodeHttp.await(60, () -> nh.get("/api/v1/link").path("dial"),
                    d -> d.path("connected").asBoolean() && d.path("current").asText().equals(b.link()));
            assertThat(dial.path("current").asText()).isEqualTo(b.link());
            // B serves the node: desired state applied through B reaches it
            Path app = Fixtures.hello(tmp, "greeter", "x86_64", "\"message=greeter\", \"seconds=3600\"", "{policy: Always}");
            assertThat(new Cli(b.server()).ok("apply", "-f", app.toString(), "--satellite", "sat-1"))
                    .contains("app/greeter created");
            NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
            // B's log shows it refused the node while A's lease ran, naming it
            assertThat(Files.readString(tmp.resolve("b-ground-1.log")))
                    .contains("session with sat-1 is held by ground-").contains("-" + a.pid() + "-")
                    .contains("under a lease that expires at");
        }
    }
}
