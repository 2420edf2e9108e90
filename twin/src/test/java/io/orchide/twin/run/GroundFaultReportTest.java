package io.orchide.twin.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.FaultKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the summary says of a ground fault, from what the twin's watch saw around it. */
class GroundFaultReportTest {
    static final Instant T = Instant.parse("2026-12-01T09:04:00Z");

    @Test
    void aCrashNamesTheReplicaEachSatelliteMovedToAndHowLongItTookInSimulatedAndRealTime() {
        Fault f = new Fault(Duration.ofMinutes(184), FaultKind.GROUND_REPLICA_CRASH, "sat-1", Duration.ofMinutes(10), null);
        FaultLog.Entry e = new FaultLog.Entry(T, T.plusSeconds(900), 1, null, -1, 1, List.of("sat-1", "sat-2", "sat-3"));
        List<GroundEvent> seen = List.of(
                GroundEvent.session(T.minusSeconds(60), "sat-1", 1),  // before the crash: not a move
                GroundEvent.replica(T.plusSeconds(20), 1, "down"),
                GroundEvent.session(T.plusSeconds(30), "sat-1", 0),
                GroundEvent.session(T.plusSeconds(240), "sat-1", 2),
                GroundEvent.session(T.plusSeconds(1000), "sat-2", 1));
        assertThat(GroundFaultReport.crash(f, e, seen, 150)).isEqualTo("ground replica 1 was killed (kill -9) at Dec 01 09:04"
                + "; sat-1 moved from replica 1 to replica 2 at Dec 01 09:08, 4 min (1.6 s real) after the crash"
                + "; sat-2 came back to replica 1 at Dec 01 09:20, once it had started again"
                + "; sat-3 (served by replica 1) held no session again before the end"
                + "; replica 1 started again and was ready at Dec 01 09:19");
        assertThat(GroundFaultReport.crash(f, new FaultLog.Entry(T, null, 1, null, -1, 0, List.of()), seen, 150))
                .isEqualTo("struck nothing: sat-1 had held no session with any replica");
        assertThat(GroundFaultReport.crash(f, new FaultLog.Entry(T, null, 0, null, -1, 2, List.of()), seen, 150))
                .isEqualTo("struck nothing: ground replica 2 was down already at Dec 01 09:04");
    }

    @Test
    void aDatabaseRestartSaysFromWhenTheApiAnswered503AndWhenEveryReplicaWasReadyAfterTheDatabaseCameBack() {
        Fault f = new Fault(Duration.ofMinutes(136), FaultKind.DATABASE_RESTART, null, Duration.ofMinutes(10), null);
        Instant back = T.plusSeconds(600);
        FaultLog.Entry e = new FaultLog.Entry(T, back, 0, null, -1);
        List<GroundEvent> seen = List.of(
                GroundEvent.replica(T.minusSeconds(600), 1, "ready"),
                GroundEvent.replica(T.plusSeconds(30), 2, "database_unavailable"),
                GroundEvent.replica(T.plusSeconds(60), 1, "database_unavailable"),
                GroundEvent.replica(back.plusSeconds(30), 1, "ready"),
                GroundEvent.replica(back.plusSeconds(90), 2, "ready"),
                GroundEvent.session(back.plusSeconds(120), "sat-1", 2));
        assertThat(GroundFaultReport.databaseRestart(f, e, List.of(), seen, 150)).isEqualTo("PostgreSQL was stopped at "
                + "Dec 01 09:04 and started again at Dec 01 09:14; the API answered 503 database_unavailable from "
                + "Dec 01 09:04 (replica(s) 1, 2), ready again at Dec 01 09:15, 90 s (0.6 s real) after the database was back");
        assertThat(GroundFaultReport.databaseRestart(f, e, List.of(), seen.subList(0, 4), 150))
                .endsWith("and was not ready again before the end");
        assertThat(GroundFaultReport.databaseRestart(f, new FaultLog.Entry(T, null, 0, null, -1), List.of(), seen, 150))
                .isEqualTo("PostgreSQL was stopped at Dec 01 09:04 and was still down at the end");
    }

    @Test
    void productsGroundHoldsTwiceAreCountedOncePerExtraCopy() throws Exception {
        var json = new ObjectMapper();
        var p1 = json.readTree("{\"satellite\": \"sat-1\", \"nodeProductId\": 7, \"name\": \"a.gz\"}");
        var p2 = json.readTree("{\"satellite\": \"sat-2\", \"nodeProductId\": 7, \"name\": \"a.gz\"}");
        var p3 = json.readTree("{\"satellite\": \"sat-1\", \"nodeProductId\": 8, \"name\": \"b.gz\"}");
        assertThat(SummaryCollector.doubled(List.of(p1, p2, p3))).isZero();
        assertThat(SummaryCollector.doubled(List.of(p1, p2, p3, p1, p1))).isEqualTo(2);
    }
}
