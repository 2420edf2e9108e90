package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.testkit.Examples;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.FaultKind;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.scenario.ScenarioReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/scenarios/replicas.yaml} through the real jar, as a user runs it: two ground replicas on a
 * PostgreSQL server the twin starts itself, PostgreSQL restarted while products come down, and the replica serving
 * sat-1 killed while sat-1's come down. Every node finds a replica by itself, the API says 503 while the database is
 * away and is ready again after, and every product arrives once.
 */
class TwinReplicasIT {
    static final Path SCENARIO = Agent.REPO.resolve("examples/scenarios/replicas.yaml");

    @TempDir
    Path tmp;

    @Test
    void twoReplicasOnPostgresLoseAndDoubleNothingThroughADatabaseRestartAndTheCrashOfTheReplicaServingASatellite()
            throws Exception {
        Scenario s = ScenarioReader.read(SCENARIO);
        int planned = Timeline.of(s, null).captureCount();
        Path work = tmp.resolve("work");
        String printed = twin(work);
        JsonNode sum = new ObjectMapper().readTree(tmp.resolve("summary.json").toFile());

        assertThat(sum.path("lost").asInt()).as(printed).isZero();
        assertThat(sum.path("doubledAtGround").asInt()).as(printed).isZero();
        assertThat(sum.path("captured").asInt()).isEqualTo(planned);
        assertThat(sum.path("products").asInt() + sum.path("dropped").asInt() + sum.path("failed").asInt()
                + sum.path("pending").asInt()).isEqualTo(planned);
        assertThat(sum.path("failed").asInt()).as(printed).isZero();
        for (JsonNode sat : sum.path("satellites")) {
            assertThat(sat.path("productsAtGround").asInt()).as(sat.path("name").asText() + "\n" + printed).isPositive();
        }
        assertThat(sum.path("ground").path("replicas").asInt()).isEqualTo(2);
        assertThat(sum.path("ground").path("database").asText()).isEqualTo("postgres");
        List<JsonNode> events = new ArrayList<>();
        sum.path("ground").path("events").forEach(events::add);

        // PostgreSQL away: the replicas said 503 database_unavailable, and both were ready again after it came back
        Fault restart = fault(s, FaultKind.DATABASE_RESTART);
        Instant down = s.start().plus(restart.at()), up = down.plus(restart.duration());
        for (int replica = 1; replica <= 2; replica++) {
            int r = replica;
            assertThat(events).as("replica %d during the outage\n%s", r, printed).anySatisfy(e -> {
                assertThat(e.path("kind").asText()).isEqualTo("replica");
                assertThat(e.path("replica").asInt()).isEqualTo(r);
                assertThat(e.path("state").asText()).isEqualTo("database_unavailable");
                assertThat(at(e)).isAfterOrEqualTo(down).isBefore(up.plusSeconds(600));
            });
            assertThat(events).as("replica %d after the outage\n%s", r, printed).anySatisfy(e -> {
                assertThat(e.path("kind").asText()).isEqualTo("replica");
                assertThat(e.path("replica").asInt()).isEqualTo(r);
                assertThat(e.path("state").asText()).isEqualTo("ready");
                assertThat(at(e)).isAfterOrEqualTo(up);
            });
        }
        assertThat(coped(sum, "databaseRestart")).contains("503 database_unavailable").contains("ready again");

        // the replica serving sat-1 was killed: sat-1's next session was on the other one, which it found itself
        Instant crash = s.start().plus(fault(s, FaultKind.GROUND_REPLICA_CRASH).at());
        int struck = sessions(events, "sat-1").stream().filter(e -> at(e).isBefore(crash.plusSeconds(60)))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no session of sat-1 before the crash\n" + printed))
                .path("replica").asInt();
        JsonNode after = sessions(events, "sat-1").stream().filter(e -> at(e).isAfter(crash)
                        && e.path("replica").asInt() != struck).findFirst()
                .orElseThrow(() -> new AssertionError("sat-1 was not served by another replica after the crash\n" + printed));
        assertThat(coped(sum, "groundReplicaCrash")).contains("ground replica " + struck + " was killed")
                .contains("sat-1 moved from replica " + struck + " to replica " + after.path("replica").asInt())
                .contains("started again");

        // the link resumed after the restart by itself: every sat-2 product (its scenes were all captured before its
        // last pass) is at ground, as is every sat-1 product of a scene captured before the restart
        List<String> notDown = new ArrayList<>();
        sum.path("scenes").forEach(x -> {
            if (!x.path("product").isTextual() || x.path("where").asText().equals("ground")) return;
            boolean mustBeDown = x.path("satellite").asText().equals("sat-2") || sceneTime(x).isBefore(down);
            if (mustBeDown) notDown.add(x.path("scene").asText() + " " + x.path("where").asText());
        });
        assertThat(notDown).as(printed).isEmpty();
        // nothing of the twin's runs any more: not its PostgreSQL either
        assertThat(work.resolve("postgres/data/postmaster.pid")).doesNotExist();
    }

    private static List<JsonNode> sessions(List<JsonNode> events, String satellite) {
        return events.stream().filter(e -> e.path("kind").asText().equals("session")
                && e.path("satellite").asText().equals(satellite) && e.path("replica").asInt() > 0).toList();
    }

    private static Instant at(JsonNode e) {
        return Instant.parse(e.path("at").asText());
    }

    /** The capture time in a scene's name: scene-sat-1-20261201T060400Z.pgm. */
    private static Instant sceneTime(JsonNode x) {
        String n = x.path("scene").asText();
        String t = n.substring(n.lastIndexOf('-') + 1, n.indexOf(".pgm"));
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                .parse(t, Instant::from);
    }

    private static Fault fault(Scenario s, FaultKind kind) {
        return s.faults().stream().filter(f -> f.kind() == kind).findFirst().orElseThrow();
    }

    private static String coped(JsonNode sum, String kind) {
        for (JsonNode f : sum.path("faults")) if (f.path("kind").asText().equals(kind)) return f.path("coped").asText();
        throw new AssertionError("no " + kind + " fault in " + sum.path("faults"));
    }

    /** Runs {@code ./orchide twin -f replicas.yaml} and returns what it printed. */
    private String twin(Path work) throws Exception {
        Examples.cloudcoverKernel();
        Fixtures.busyboxRootfs();
        Path out = tmp.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(Agent.REPO.resolve("orchide").toString(), "twin", "-f", SCENARIO.toString(),
                "--work-dir", work.toString(), "--summary", tmp.resolve("summary.json").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ORCHIDE_NO_BUILD", "1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            throw new AssertionError("the twin did not end within 5 minutes:\n" + Files.readString(out));
        }
        String printed = Files.readString(out);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("== summary of replicas").contains("lost: nothing");
        return printed;
    }
}
