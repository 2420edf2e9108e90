package io.orchide.ground.auth;

import java.time.Instant;

/**
 * One access decision, as the audit log records it: who ({@code actor}, the principal's id, null when
 * unauthenticated; {@code credential}, the token's id), in which {@code tenant} (null: fleet-wide or none named),
 * {@code verb} on {@code resource} (with the object's {@code name} when there is one), the {@code outcome}, the
 * {@code reason} of a refusal, the client's {@code source} address and the time.
 */
public record Decision(String actor, String credential, String tenant, String verb, String resource, String name,
                       Outcome outcome, String reason, String source, Instant at) {
    public enum Outcome {
        ALLOWED, DENIED, UNAUTHENTICATED;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
