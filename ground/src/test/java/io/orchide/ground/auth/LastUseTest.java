package io.orchide.ground.auth;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token's last use is written off the request path: a request is answered while another connection holds SQLite's
 * write lock, and the use is stored once the lock is let go.
 */
class LastUseTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aRequestDoesNotWaitForItsTokensLastUseToBeWritten() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (GroundDatabase db = GroundDatabase.sqlite(tmp)) {
            AuthStore store = new AuthStore(db, new InProcessChanges());
            try (ApiTokens tokens = new ApiTokens(store, clock)) {
                ApiTokens.Minted t = tokens.mint("t1", "sa-1", "ci", Duration.ofDays(1));
                store.createServiceAccount("sa-1", "ci", new Binding("rb-1", "sa-1", Role.VIEWER, "default", T0), t.stored(), null);
                try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("ground.db"));
                     Statement s = writer.createStatement()) {
                    s.execute("BEGIN IMMEDIATE"); // the write lock, as a long write elsewhere holds it
                    assertThat(tokens.authenticate(t.secret())).get().extracting(Caller::credential).isEqualTo("t1");
                    assertThat(store.token("t1").orElseThrow().lastUsed()).as("not written yet: the lock is held").isNull();
                    s.execute("ROLLBACK");
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(store.token("t1").orElseThrow().lastUsed()).isEqualTo(T0));
            }
        }
    }
}
