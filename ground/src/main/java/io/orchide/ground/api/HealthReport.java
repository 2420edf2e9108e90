package io.orchide.ground.api;

import java.time.Instant;

/**
 * What {@code /api/v1/health} and {@code /api/v1/ready} say of a ground replica: whether it is {@code ready} (its
 * schema and link are initialised and its database answers) and, when not, the {@code reason}; its {@code database}
 * (named without credentials), whether that answers and since when.
 */
public record HealthReport(boolean ready, String reason, String database, boolean databaseAvailable,
                           Instant databaseSince) {
    /** A ground whose readiness nobody tracks (an API under test): ready, its database not named. */
    public static HealthReport untracked() {
        return new HealthReport(true, null, null, true, null);
    }
}
