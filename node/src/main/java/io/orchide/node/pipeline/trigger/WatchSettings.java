package io.orchide.node.pipeline.trigger;

import java.time.Duration;

/**
 * Timings of the {@link DataWatcher}.
 *
 * @param quietPeriod  how long a file written in place must stay unmodified before it fires
 * @param createSettle where the events cannot tell a rename from a creation (the JDK's WatchService, the fallback
 *                     of the inotify helper), how long after a creation event, with no write seen, a non-empty file
 *                     (one renamed in) fires; a writer's first write event arrives well within it. With inotify a
 *                     renamed-in file fires at once
 * @param retryDelay   after a subscriber failed, when its directory is rescanned to offer the file again
 */
public record WatchSettings(Duration quietPeriod, Duration createSettle, Duration retryDelay) {
    public WatchSettings {
        positive("quietPeriod", quietPeriod);
        positive("createSettle", createSettle);
        positive("retryDelay", retryDelay);
    }

    public static WatchSettings defaults() {
        return new WatchSettings(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(1));
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0: " + d);
    }
}
