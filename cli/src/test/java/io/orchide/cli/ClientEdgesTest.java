package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client verb says when its input or its server is not what it needs. */
class ClientEdgesTest {
    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @Test
    void applyingAnEmptyFileSaysThereIsNothingToApplyNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");

        FakeServer.Result r = node.run("apply", "-f", empty.toString());

        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains(empty.toString()).contains("nothing to apply");
        assertThat(node.requests).noneMatch(q -> q.method().equals("POST"));
    }

    @Test
    void applyingAFileOfCommentsOnlySaysThereIsNothingToApply(@TempDir Path dir) throws Exception {
        Path comments = Files.writeString(dir.resolve("notes.yaml"), "# an app will go here\n---\n# and here\n");

        FakeServer.Result r = node.run("apply", "-f", comments.toString());

        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("notes.yaml: nothing to apply");
        assertThat(node.requests).noneMatch(q -> q.method().equals("POST"));
    }

    @Test
    void aNodeVerbSentToGroundSaysItIsGroundAndThatSatelliteIsNeeded() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            ground.unknown("GET /api/v1/workloads")
                    .on("GET /api/v1/satellites", 200, "{\"items\":[{\"name\":\"sat-1\"},{\"name\":\"sat-2\"}]}");

            FakeServer.Result r = ground.run("get", "workloads");

            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("is orchide ground, not a node").contains("--satellite NAME")
                    .contains("sat-1, sat-2").doesNotContain("[not_found]");
        }
    }

    @Test
    void aSatelliteVerbSentToANodeSaysSatelliteGoesThroughGround() {
        node.unknown("GET /api/v1/satellites/sat-1/workloads");

        FakeServer.Result r = node.run("get", "workloads", "--satellite", "sat-1");

        assertThat(r.err()).contains("is not orchide ground").contains("--satellite go through ground");
    }

    @Test
    void anUnusableServerAddressIsAClearErrorNeverAStackTrace() {
        for (String bad : new String[]{"http://0:0:0:0:0:0:0:0:8400", "ftp://127.0.0.1:7100", "http://:7100"}) {
            FakeServer.Result r = FakeServer.cli("get", "workloads", "--server", bad);

            String e = r.err();
            assertThat(r.status()).as(bad).isEqualTo(1);
            assertThat(e).as(bad).startsWith("error: server address: ").contains("(got " + bad + ")")
                    .contains("http://[::1]:7100").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aServerListeningOnEveryAddressIsAnnouncedOnAnAddressAClientCanUse() throws Exception {
        assertThat(OptionValues.url(new java.net.InetSocketAddress("0.0.0.0", 8400))).isEqualTo("http://127.0.0.1:8400");
        assertThat(OptionValues.url(new java.net.InetSocketAddress("::", 8400))).isEqualTo("http://127.0.0.1:8400");
        assertThat(OptionValues.url(new java.net.InetSocketAddress("::1", 8400))).isEqualTo("http://[0:0:0:0:0:0:0:1]:8400");
        assertThat(OptionValues.listening(new java.net.InetSocketAddress("0.0.0.0", 8400)))
                .isEqualTo("http://127.0.0.1:8400 (listening on every address, port 8400)");
        assertThat(ServerUrl.parse(OptionValues.url(new java.net.InetSocketAddress("::1", 8400))).getPort()).isEqualTo(8400);
    }
}
