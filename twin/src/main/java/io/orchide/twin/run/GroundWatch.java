package io.orchide.twin.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Watches the twin's ground while a scenario runs: which replica each satellite's node holds its session with (its
 * API's {@code dial}) and what each replica's {@code /api/v1/ready} says, recording every change as a
 * {@link GroundEvent} and printing the ones a reader follows (a session on another replica than before, a replica
 * down, unavailable or ready again). Another process's state has no event to wait on, so it asks every
 * {@link #EVERY} of real time; a change is seen within that.
 */
final class GroundWatch implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(250);

    private final GroundRig ground;
    private final List<SatelliteRig> rigs;
    private final Supplier<Instant> now;
    private final BiConsumer<Instant, String> say;
    private final List<GroundEvent> events = new ArrayList<>();
    private final Map<String, Integer> session = new HashMap<>();   // satellite -> replica now (0: none)
    private final Map<String, Integer> lastServed = new HashMap<>(); // satellite -> the last replica that served it
    private final Map<Integer, String> readiness = new HashMap<>();
    private final Object looking = new Object();
    private final Thread thread;
    private volatile boolean closed;

    GroundWatch(GroundRig ground, List<SatelliteRig> rigs, Supplier<Instant> now, BiConsumer<Instant, String> say) {
        this.ground = ground;
        this.rigs = List.copyOf(rigs);
        this.now = now;
        this.say = say;
        this.thread = Thread.ofVirtual().name("twin-ground-watch").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            look();
            try {
                Thread.sleep(EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Looks once at every replica and satellite, recording what changed (one look at a time, in order). */
    void look() {
        synchronized (looking) {
            lookOnce();
        }
    }

    private void lookOnce() {
        for (GroundReplica r : ground.replicas()) {
            String state = r.readiness();
            Instant at = now.get();
            String before;
            synchronized (this) {
                before = readiness.put(r.index(), state);
                if (state.equals(before)) continue;
                events.add(GroundEvent.replica(at, r.index(), state));
            }
            if (before != null || !state.equals("ready")) {
                say.accept(at, "ground replica " + r.index() + (switch (state) {
                    case "ready" -> " ready" + (before == null ? "" : " again");
                    case "down" -> " down (its process does not answer)";
                    case "database_unavailable" -> ": API 503 database_unavailable";
                    default -> ": not ready (" + state + ")";
                }));
            }
        }
        for (SatelliteRig rig : rigs) {
            int replica = rig.servingReplica();
            if (replica < 0) continue;
            Instant at = now.get();
            Integer served;
            synchronized (this) {
                Integer before = session.put(rig.name(), replica);
                if (before != null && before == replica) continue;
                events.add(GroundEvent.session(at, rig.name(), replica));
                if (replica == 0) continue;
                served = lastServed.put(rig.name(), replica);
            }
            if (served == null) say.accept(at, rig.name() + " session on ground replica " + replica);
            else if (served != replica) {
                say.accept(at, rig.name() + " session now on ground replica " + replica + " (was on replica " + served + ")");
            }
        }
    }

    /** The replica serving {@code satellite} now (0: none), as last seen. */
    synchronized int serving(String satellite) {
        return session.getOrDefault(satellite, 0);
    }

    /** The replica that served {@code satellite} last, 0 when none has yet. */
    synchronized int lastServed(String satellite) {
        return lastServed.getOrDefault(satellite, 0);
    }

    synchronized List<GroundEvent> events() {
        return List.copyOf(events);
    }

    /** Stops watching (idempotent); what it saw stays. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
