package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.orbit.Contact;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.scenario.Fault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Says in a sentence how the system coped with one fault, from what happened around it. */
final class FaultReport {
    private FaultReport() {
    }

    static String describe(Fault f, FaultLog.Entry e, Timeline timeline, List<SatelliteRig> rigs,
                           Map<String, List<SceneOutcome>> outcomes, List<GroundEvent> ground, double speed) {
        if (e == null) return "not injected: the scenario ended first";
        if (f.kind().onGround()) {
            long lostAll = outcomes.values().stream().flatMap(List::stream)
                    .filter(o -> SceneOutcome.LOST.equals(o.where())).count();
            String lost = lostAll == 0 ? "nothing lost" : lostAll + " lost";
            return (f.kind() == io.orchide.twin.scenario.FaultKind.GROUND_REPLICA_CRASH ? GroundFaultReport.crash(f, e, ground, speed)
                    : GroundFaultReport.databaseRestart(f, e, rigs, ground, speed)) + "; " + lost;
        }
        List<SceneOutcome> scenes = outcomes.getOrDefault(f.satellite(), List.of());
        long lost = scenes.stream().filter(o -> SceneOutcome.LOST.equals(o.where())).count();
        String lostText = lost == 0 ? "nothing lost" : lost + " lost";
        return switch (f.kind()) {
            case REBOOT -> {
                String back = e.ended() == null ? "was still down at the end" : "booted at " + TimeText.at(e.ended());
                int rerun = scenes.stream().mapToInt(SceneOutcome::interrupted).sum();
                yield f.satellite() + " lost power at " + TimeText.at(e.began()) + " (the agent and "
                        + Math.max(0, e.processesKilled() - 1) + " step process(es) killed at once) and " + back + "; its agent restored its pipelines and runs from its own "
                        + "store" + (rerun > 0 ? ", " + rerun + " step attempt(s) cut short were run again" : "") + "; " + lostText;
            }
            case LINK_OUTAGE -> {
                Instant from = e.began();
                Instant to = e.ended() != null ? e.ended() : timeline.events().get(timeline.events().size() - 1).at();
                List<Contact> missed = timeline.contacts().getOrDefault(f.satellite(), List.of()).stream()
                        .filter(c -> c.end().isAfter(from) && c.start().isBefore(to)).toList();
                Optional<Contact> next = timeline.contacts().getOrDefault(f.satellite(), List.of()).stream()
                        .filter(c -> !c.start().isBefore(to)).findFirst();
                String passes = missed.isEmpty() ? "no pass fell in it" : missed.size() + " pass(es) carried nothing ("
                        + missed.stream().map(c -> c.station() + " " + TimeText.at(c.start())).collect(Collectors.joining(", ")) + ")";
                yield f.satellite() + "'s link was down " + TimeText.at(from) + " to " + TimeText.at(to) + ": " + passes
                        + "; what waited on board " + next.map(c -> "went down from the next pass (" + c.station() + " "
                        + TimeText.at(c.start()) + ")").orElse("waits for the next pass") + "; " + lostText;
            }
            case DISK_FULL -> {
                Instant from = e.began();
                Instant to = e.ended();
                SatelliteRig rig = rigs.stream().filter(r -> r.name().equals(f.satellite())).findFirst().orElseThrow();
                List<CapturedScene> during = rig.scenes().stream().filter(c -> !c.time().isBefore(from)
                        && (to == null || c.time().isBefore(to))).toList();
                long delayed = during.stream().filter(c -> c.written() != null && c.written().isAfter(c.time())).count();
                long stillHeld = during.stream().filter(CapturedScene::held).count();
                Duration late = during.stream().filter(c -> c.written() != null)
                        .map(c -> Duration.between(c.time(), c.written())).max(Duration::compareTo).orElse(Duration.ZERO);
                JsonNode st = rig.storage();
                String reclaimed = st == null ? "" : st.path("reclaimedItems").asInt() == 0
                        ? "; the node found nothing it could spare"
                        : "; the node reclaimed " + st.path("reclaimedItems").asInt() + " item(s) ("
                        + TimeText.bytes(st.path("reclaimedBytes").asLong()) + ": outbox files of products ground held "
                        + "and workspaces of finished runs)";
                String camera = during.isEmpty() ? "; no capture fell in it"
                        : "; the camera held " + (delayed + stillHeld) + " of " + during.size() + " capture(s) made in it"
                        + (delayed > 0 ? " and wrote " + delayed + " once space returned (up to " + TimeText.span(late)
                        + " late)" : "") + (stillHeld > 0 ? ", " + stillHeld + " still held" : "");
                yield f.satellite() + "'s storage was filled to " + TimeText.bytes(Math.max(0, e.freeBytes()))
                        + " free at " + TimeText.at(from) + (to == null ? ", still full at the end" : " until "
                        + TimeText.at(to)) + reclaimed + camera + "; runs went on; " + lostText;
            }
            case GROUND_REPLICA_CRASH, DATABASE_RESTART -> throw new IllegalStateException("a ground fault: " + f);
            case TAMPERED_IMAGE -> "the twin found no signed kernel of a tenant to tamper with";
            case CORRUPT_SCENE -> {
                Optional<SceneOutcome> o = scenes.stream().filter(x -> x.scene().equals(e.scene())).findFirst();
                if (e.scene() == null || o.isEmpty()) yield "no capture followed it before the end";
                SceneOutcome s = o.get();
                if (s.run() == null) yield "scene " + s.scene() + " came out corrupt and waits on board to be processed";
                yield "scene " + s.scene() + " came out corrupt: run " + s.run() + " " + s.state() + " after "
                        + s.failedAttempts() + " failed attempt(s)" + (s.message() == null ? "" : " (" + s.message() + ")")
                        + "; the other scenes went on, and the scene stays on board";
            }
        };
    }
}
