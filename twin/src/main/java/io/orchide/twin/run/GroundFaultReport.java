package io.orchide.twin.run;

import io.orchide.twin.scenario.Fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Says how ground coped with a fault that struck it, from what the twin's {@link GroundWatch} saw around it: which
 * replica served each satellite before and after a replica's crash, and how long the API answered 503 around a
 * database restart. Spans are given in simulated time and, in parentheses, in real time (what an operator would
 * wait at 1x).
 */
final class GroundFaultReport {
    private GroundFaultReport() {
    }

    static String crash(Fault f, FaultLog.Entry e, List<GroundEvent> events, double speed) {
        if (e.replica() == 0) return "struck nothing: " + f.satellite() + " had held no session with any replica";
        if (e.processesKilled() == 0) {
            return "struck nothing: ground replica " + e.replica() + " was down already at " + TimeText.at(e.began());
        }
        StringBuilder b = new StringBuilder("ground replica " + e.replica() + " was killed (kill -9) at "
                + TimeText.at(e.began()));
        if (e.served().isEmpty()) b.append(", serving no satellite");
        for (String sat : e.served()) {
            Optional<GroundEvent> moved = events.stream().filter(x -> x.kind() == GroundEvent.Kind.SESSION
                    && sat.equals(x.satellite()) && x.replica() > 0 && x.at().isAfter(e.began())).findFirst();
            if (moved.isEmpty()) {
                b.append("; ").append(sat).append(" (served by replica ").append(e.replica())
                        .append(") held no session again before the end");
            } else if (moved.get().replica() != e.replica()) {
                b.append("; ").append(sat).append(" moved from replica ").append(e.replica()).append(" to replica ")
                        .append(moved.get().replica()).append(" at ").append(TimeText.at(moved.get().at()))
                        .append(", ").append(span(e.began(), moved.get().at(), speed)).append(" after the crash");
            } else {
                b.append("; ").append(sat).append(" came back to replica ").append(e.replica()).append(" at ")
                        .append(TimeText.at(moved.get().at())).append(", once it had started again");
            }
        }
        if (e.ended() != null) {
            b.append("; replica ").append(e.replica()).append(" started again and was ready at ").append(TimeText.at(e.ended()));
        } else {
            b.append(f.duration() == null ? "; it stayed down" : "; it was not ready again before the end");
        }
        return b.toString();
    }

    static String databaseRestart(Fault f, FaultLog.Entry e, List<SatelliteRig> rigs, List<GroundEvent> events,
                                  double speed) {
        Instant from = e.began();
        Instant back = e.ended();
        StringBuilder b = new StringBuilder("PostgreSQL was stopped at " + TimeText.at(from));
        if (back == null) return b.append(" and was still down at the end").toString();
        b.append(" and started again at ").append(TimeText.at(back));
        // the API's outage: from the first replica that said so, to the last one ready again
        List<GroundEvent> replicas = events.stream().filter(x -> x.kind() == GroundEvent.Kind.REPLICA
                && !x.at().isBefore(from)).toList();
        TreeSet<Integer> unavailable = new TreeSet<>();
        Instant firstOut = null;
        for (GroundEvent x : replicas) {
            if (x.state().equals("database_unavailable")) {
                unavailable.add(x.replica());
                if (firstOut == null) firstOut = x.at();
            }
        }
        if (firstOut == null) {
            b.append("; no replica was seen answering 503");
        } else {
            Instant lastReady = null;
            for (int r : unavailable) {
                Optional<Instant> ready = replicas.stream().filter(x -> x.replica() == r && x.state().equals("ready")
                        && !x.at().isBefore(back)).map(GroundEvent::at).findFirst();
                if (ready.isEmpty()) {
                    lastReady = null;
                    break;
                }
                if (lastReady == null || ready.get().isAfter(lastReady)) lastReady = ready.get();
            }
            b.append("; the API answered 503 database_unavailable from ").append(TimeText.at(firstOut))
                    .append(" (replica(s) ").append(join(unavailable)).append(")");
            b.append(lastReady == null ? " and was not ready again before the end"
                    : ", ready again at " + TimeText.at(lastReady) + ", " + span(back, lastReady, speed)
                    + " after the database was back");
        }
        for (SatelliteRig rig : rigs) {
            Optional<GroundEvent> session = events.stream().filter(x -> x.kind() == GroundEvent.Kind.SESSION
                    && rig.name().equals(x.satellite()) && x.replica() > 0 && !x.at().isBefore(back)).findFirst();
            b.append("; ").append(rig.name()).append(session.map(x -> "'s session came back on replica " + x.replica()
                    + " at " + TimeText.at(x.at())).orElse(" held no session again before the end"));
        }
        return b.toString();
    }

    /** "4m (1.2 s real)": a span of simulated time and what it took in real time. */
    static String span(Instant from, Instant to, double speed) {
        Duration sim = Duration.between(from, to);
        double real = sim.toMillis() / 1000.0 / speed;
        return TimeText.span(sim) + String.format(java.util.Locale.ROOT, " (%.1f s real)", real);
    }

    private static String join(TreeSet<Integer> ids) {
        List<String> out = new ArrayList<>();
        ids.forEach(i -> out.add(Integer.toString(i)));
        return String.join(", ", out);
    }
}
