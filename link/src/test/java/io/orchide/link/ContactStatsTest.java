package io.orchide.link;

import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the link says of a peer's contact: connected since the session began, and the last contact once it ended. */
class ContactStatsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static LinkConfig cfg(String name, MutableClock clock) {
        return new LinkConfig(name, "{}", 0, 0, 0, name + "-holder", Duration.ofSeconds(30), Duration.ofMillis(50), clock);
    }

    @Test
    void aPeerInContactIsConnectedSinceTheSessionBeganAndItsLastContactIsWhenTheSessionEnded() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Recorder g = new Recorder(), n = new Recorder();
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", clock), gs, tcp, g, g);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1", clock), ns, tcp, n, n)) {
            assertThat(ground.stats("sat-1").lastContact()).as("never in contact").isNull();
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ground.stats("sat-1").connected());

            clock.advance(Duration.ofSeconds(25));
            LinkStats during = ground.stats("sat-1");
            assertThat(during.connectedSince()).isEqualTo(T0);
            assertThat(during.lastContact()).as("in contact now, not 25 s ago").isEqualTo(T0.plusSeconds(25));

            node.closeContact();
            await().atMost(Duration.ofSeconds(20)).until(() -> !ground.stats("sat-1").connected());
            clock.advance(Duration.ofSeconds(40));
            LinkStats after = ground.stats("sat-1");
            assertThat(after.connectedSince()).isNull();
            assertThat(after.lastContact()).as("the session's end").isEqualTo(T0.plusSeconds(25));
        }
    }
}
