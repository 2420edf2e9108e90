package io.orchide.node.api;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(clock, lines::add);

    @Test
    void aScanFromOneSourceWritesOneLineAMinuteWithTheCountOfTheRest() {
        for (int i = 0; i < 5000; i++) {
            log.refused("10.0.0.9", "no token was sent (GET /api/v1/x" + i + ")");
            clock.advance(Duration.ofMillis(10)); // 50 s in all: one window
        }
        assertThat(lines).containsExactly("API call refused from 10.0.0.9: no token was sent (GET /api/v1/x0)"
                + " (more from 10.0.0.9 are counted for 60 s)");

        clock.advance(Duration.ofSeconds(10));
        log.refused("10.0.0.9", "the token is not this node's (GET /api/v1/node)");

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("API calls refused from 10.0.0.9: 4999 more in the 60 s from 2026-12-07T12:00:00Z");
        assertThat(lines.get(2)).startsWith("API call refused from 10.0.0.9: the token is not this node's");
    }

    @Test
    void eachSourceHasItsOwnLineAndCloseWritesTheCountsLeft() {
        log.refused("10.0.0.1", "no token was sent (GET /api/v1/node)");
        log.refused("10.0.0.2", "no token was sent (GET /api/v1/node)");
        log.refused("10.0.0.2", "no token was sent (GET /api/v1/node)");
        log.refused("10.0.0.1", "no token was sent (GET /api/v1/node)");
        log.refused("10.0.0.1", "no token was sent (GET /api/v1/node)");

        assertThat(lines).hasSize(2);
        log.close();

        assertThat(lines).hasSize(4).contains("API calls refused from 10.0.0.1: 2 more in the 60 s from 2026-12-07T12:00:00Z",
                "API calls refused from 10.0.0.2: 1 more in the 60 s from 2026-12-07T12:00:00Z");
    }

    @Test
    void aLoneRefusalIsNotFollowedByAnEmptyCount() {
        log.refused("10.0.0.1", "no token was sent (GET /api/v1/node)");
        clock.advance(Duration.ofMinutes(2));
        log.refused("10.0.0.2", "no token was sent (GET /api/v1/node)");
        log.close();

        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("API call refused from"));
    }

    @Test
    void sourcesBeyondTheBoundShareOneEntry() {
        for (int i = 0; i < RefusalLog.MAX_SOURCES + 500; i++) log.refused("source-" + i, "no token was sent");

        assertThat(lines).hasSize(RefusalLog.MAX_SOURCES + 1);
        assertThat(lines.getLast()).startsWith("API call refused from other sources: no token was sent");
        log.close();
        assertThat(lines.getLast()).isEqualTo("API calls refused from other sources: 499 more in the 60 s from 2026-12-07T12:00:00Z");
    }
}
