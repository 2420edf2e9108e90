package io.orchide.twin.run;

import java.time.Instant;

/**
 * A change the twin saw in its ground, at an instant of simulated time: a satellite's session moved ({@code SESSION}:
 * {@code satellite} now holds a session with {@code replica}, 0 for none), or a replica's readiness changed
 * ({@code REPLICA}: {@code replica} is now {@code state}: {@code ready}, {@code down} or the reason it gives, such as
 * {@code database_unavailable}).
 */
public record GroundEvent(Instant at, Kind kind, int replica, String satellite, String state) {
    public enum Kind { SESSION, REPLICA }

    static GroundEvent session(Instant at, String satellite, int replica) {
        return new GroundEvent(at, Kind.SESSION, replica, satellite, replica == 0 ? "none" : "connected");
    }

    static GroundEvent replica(Instant at, int replica, String state) {
        return new GroundEvent(at, Kind.REPLICA, replica, null, state);
    }
}
