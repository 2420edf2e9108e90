package io.orchide.ground.store;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator reads in the log through an outage: one line when the database goes, one when it is back. */
class DatabaseHealthTest {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Logger jul = Logger.getLogger("io.orchide.ground.store");
    final Handler recorder = new Handler() {
        @Override public void publish(LogRecord r) { records.add(r); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @BeforeEach
    void record() {
        jul.addHandler(recorder);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(recorder);
    }

    List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + java.text.MessageFormat.format(r.getMessage(),
                r.getParameters() == null ? new Object[0] : r.getParameters())).toList();
    }

    @Test
    void manyFailuresAndSuccessesLogOnlyTheTwoChanges() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        DatabaseHealth h = new DatabaseHealth("postgresql jdbc:postgresql://db:5432/ground", clock);
        h.up();
        SQLException refused = new SQLException("Connection to db:5432 refused", "08001");
        for (int i = 0; i < 50; i++) h.down(refused);
        assertThat(h.available()).isFalse();
        assertThat(h.downSince()).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(32));
        for (int i = 0; i < 50; i++) h.up();
        assertThat(h.available()).isTrue();

        assertThat(lines()).containsExactly(
                "WARNING database postgresql jdbc:postgresql://db:5432/ground is unavailable (Connection to db:5432 refused); "
                        + "the API answers 503 and the link refuses sessions until it is back",
                "INFO database postgresql jdbc:postgresql://db:5432/ground is back after 32 s");
    }

    @Test
    void onlyConnectionFailuresCountAsTheDatabaseBeingUnavailable() {
        assertThat(Dialect.unavailable(new SQLException("This connection has been closed.", "08003"))).isTrue();
        assertThat(Dialect.unavailable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(Dialect.unavailable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(Dialect.unavailable(new SQLException("wrapped", new ConnectException("refused")))).isTrue();
        assertThat(Dialect.unavailable(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(Dialect.unavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Dialect.unavailable(new SQLException("[SQLITE_BUSY] database is locked"))).isFalse();
    }

    @Test
    void healthSaysSinceWhenAndWhatWaitsForTheDatabaseRunsOncePerReturn() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        DatabaseHealth h = new DatabaseHealth("sqlite /data/ground.db", clock);
        java.util.concurrent.atomic.AtomicInteger back = new java.util.concurrent.atomic.AtomicInteger();
        h.onBack(back::incrementAndGet);
        h.onBack(() -> { throw new IllegalStateException("gone again"); }); // told to the log, spoils nothing
        assertThat(h.state()).isEqualTo(new DatabaseHealth.State(true, Instant.parse("2026-03-01T10:00:00Z")));
        h.up();
        assertThat(back.get()).isZero();

        clock.advance(Duration.ofSeconds(5));
        h.down(new SQLException("refused", "08001"));
        clock.advance(Duration.ofSeconds(5));
        h.down(new SQLException("refused", "08001"));
        assertThat(h.state()).isEqualTo(new DatabaseHealth.State(false, Instant.parse("2026-03-01T10:00:05Z")));
        clock.advance(Duration.ofSeconds(5));
        h.up();
        h.up();
        assertThat(h.state()).isEqualTo(new DatabaseHealth.State(true, Instant.parse("2026-03-01T10:00:15Z")));
        assertThat(back.get()).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.startsWith("WARNING after database sqlite /data/ground.db came back")
                && l.contains("gone again"));
    }
}
