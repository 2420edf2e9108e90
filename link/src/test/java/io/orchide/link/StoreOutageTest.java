package io.orchide.link;

import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.link.transport.TcpConvergenceLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint whose store loses its database (as a ground replica loses PostgreSQL): it cuts its session and refuses
 * new ones, telling the peer why, so that the peer can move on; once the database answers again the peer's next
 * dial is accepted and what it sends arrives once.
 */
class StoreOutageTest {
    @TempDir
    Path tmp;

    /** A data source that can be switched off: then every new connection is refused, as by a stopped server. */
    static final class Switchable implements DataSource {
        final SQLiteDataSource real = new SQLiteDataSource();
        volatile boolean down;

        Switchable(Path file) {
            real.setUrl("jdbc:sqlite:" + file);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
            return real.getConnection();
        }

        @Override public Connection getConnection(String u, String p) throws SQLException { return getConnection(); }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
        @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("no " + iface); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }

    @Test
    void anEndpointWithoutItsDatabaseDropsAndRefusesSessionsThenTakesThemBack() throws Exception {
        Switchable db = new Switchable(tmp.resolve("ground.db"));
        Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        LinkConfig groundCfg = new LinkConfig("ground", "{}", 0, 0, 0, null, Duration.ofMillis(600),
                Duration.ofMillis(100), null);
        LinkConfig nodeCfg = new LinkConfig("sat-1", "{}", 0, 0, 0, null, null, Duration.ofMillis(100), null);
        try (LinkStore groundStore = LinkStore.on(db);
             LinkEndpoint ground = LinkEndpoint.open(groundCfg, groundStore, new TcpConvergenceLayer(),
                     (b, p) -> delivered.computeIfAbsent(b.id(), k -> new AtomicInteger()).incrementAndGet(),
                     new LinkEvents() {
                         @Override public void contactClosed(String peer) { closed.incrementAndGet(); }
                     });
             LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node.db"));
             LinkEndpoint node = LinkEndpoint.open(nodeCfg, nodeStore, new TcpConvergenceLayer(), (b, p) -> { },
                     new LinkEvents() {
                         @Override public void rejected(String peer, String id, String reason) { refusals.add(reason); }
                     })) {
            String address = ground.listen("127.0.0.1:0");
            node.dial(address);
            node.send("before", new Outgoing("ground", "test", 10, Duration.ofHours(1), new byte[1000]));
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered.containsKey("before"));

            db.down = true;
            // the lease renewal finds the store gone: the session is cut, and each redial is refused with the reason
            await().atMost(Duration.ofSeconds(20)).until(() -> closed.get() >= 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> refusals.stream().anyMatch(r -> r.contains("store is unavailable")));
            assertThat(groundStore.available()).isFalse();
            assertThatThrownBy(() -> ground.stats("sat-1")).isInstanceOf(StoreUnavailableException.class);
            node.send("during", new Outgoing("ground", "test", 10, Duration.ofHours(1), new byte[70_000]));

            db.down = false;
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered.containsKey("during"));
            await().atMost(Duration.ofSeconds(20)).until(() -> node.queued("ground").isEmpty());
            assertThat(ground.stats("sat-1").connected()).isTrue();
            assertThat(delivered).containsOnlyKeys("before", "during");
            assertThat(delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
    }
}
