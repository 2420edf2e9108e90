package io.orchide.node.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The log of refused API calls, bounded so that a scan cannot flood it: the first refusal from a source is written
 * at once, the next ones from it within {@link #WINDOW} are only counted, and the count is written when the window
 * has passed (at the next refusal from anyone, or at {@link #close}). At most {@link #MAX_SOURCES} sources are
 * followed at a time; refusals from more share one entry.
 */
public final class RefusalLog implements AutoCloseable {
    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_SOURCES = 1024;
    static final String OTHER_SOURCES = "other sources";

    private static final System.Logger LOG = System.getLogger(RefusalLog.class.getName());

    private static final class Window {
        final Instant start;
        long more;

        Window(Instant start) { this.start = start; }
    }

    private final Clock clock;
    private final Consumer<String> out;
    // in the order the windows opened, which is the order they end in: a sweep stops at the first still open
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    /** Writes to the agent's log (warnings). */
    public RefusalLog(Clock clock) {
        this(clock, line -> LOG.log(System.Logger.Level.WARNING, line));
    }

    RefusalLog(Clock clock, Consumer<String> out) {
        this.clock = clock;
        this.out = out;
    }

    /** A call from {@code source} was refused: {@code why}, with what was asked. */
    public synchronized void refused(String source, String why) {
        Instant now = clock.instant();
        sweep(now);
        Window w = windows.get(source);
        if (w == null && windows.size() >= MAX_SOURCES) {
            source = OTHER_SOURCES;
            w = windows.get(source);
        }
        if (w != null) {
            w.more++;
            return;
        }
        windows.put(source, new Window(now));
        out.accept("API call refused from " + source + ": " + why + " (more from " + source + " are counted for "
                + WINDOW.toSeconds() + " s)");
    }

    private void sweep(Instant now) {
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            if (now.isBefore(e.getValue().start.plus(WINDOW))) return;
            it.remove();
            report(e.getKey(), e.getValue());
        }
    }

    private void report(String source, Window w) {
        if (w.more > 0) {
            out.accept("API calls refused from " + source + ": " + w.more + " more in the " + WINDOW.toSeconds()
                    + " s from " + w.start);
        }
    }

    /** Writes the counts not written yet. */
    @Override
    public synchronized void close() {
        windows.forEach(this::report);
        windows.clear();
    }
}
