package io.orchide.model;

import java.time.Duration;
import java.time.Instant;

/** What starts a run of a pipeline. Manual runs are always allowed; {@link Manual} only says so explicitly. */
public sealed interface Trigger {
    /**
     * A new file in a tenant's dataset or a sensor directory (exactly one of {@code dataset}, {@code path}) whose
     * name matches {@code glob}.
     */
    record OnData(String dataset, String path, String glob) implements Trigger {
        public static final String DEFAULT_GLOB = "*";
    }

    /** A time: exactly one of a cron expression (UTC), a period, or one instant. */
    record Schedule(Cron cron, Duration every, Instant at) implements Trigger {
    }

    /** Another pipeline's run ending with {@code result}, or the event {@code name} posted through the API. */
    record OnEvent(String pipeline, Result result, String name) implements Trigger {
        public enum Result {
            SUCCEEDED("succeeded"), FAILED("failed"), ANY("any");

            private final String wire;

            Result(String wire) { this.wire = wire; }

            public String wire() { return wire; }

            @Override public String toString() { return wire; }
        }
    }

    /** Runs started through the API or the CLI. */
    record Manual() implements Trigger {
    }
}
