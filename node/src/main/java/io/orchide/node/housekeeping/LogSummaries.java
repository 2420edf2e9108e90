package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Summarises log lines as they are written, per subject ({@code workload/NAME}, {@code run/RUN/STEP}): counts of
 * lines and error lines, the first error lines (at most {@link Housekeeping#MAX_ERROR_LINES}), the first and last
 * line. The memory it holds is bounded whatever the logs' volume: a storm of lines only raises counts.
 * Thread-safe: consoles are read on their own threads.
 */
public final class LogSummaries {
    /** A line is an error line when it says so in a word log readers look for. */
    static final Pattern ERROR = Pattern.compile("(?i)\\b(error|err|fatal|panic|exception|critical|failed|failure)\\b");
    /** Subjects kept at most at once; lines of later ones are counted under {@link #OTHER}. */
    static final int MAX_SUBJECTS = 256;
    static final String OTHER = "other";

    private static final class Acc {
        long lines, errors;
        final List<String> kept = new ArrayList<>();
        String first, last;
    }

    private final Map<String, Acc> open = new LinkedHashMap<>();

    public synchronized void line(String subject, String line) {
        Acc a = open.get(subject);
        if (a == null) {
            if (open.size() >= MAX_SUBJECTS) subject = OTHER;
            a = open.computeIfAbsent(subject, s -> new Acc());
        }
        a.lines++;
        if (a.first == null) a.first = line;
        a.last = line;
        if (ERROR.matcher(line).find()) {
            a.errors++;
            if (a.kept.size() < Housekeeping.MAX_ERROR_LINES) a.kept.add(line);
        }
    }

    /** The summaries since the last call, subjects with errors first; the next call starts from nothing. */
    public synchronized List<Housekeeping.LogSummary> drain() {
        List<Housekeeping.LogSummary> withErrors = new ArrayList<>(), routine = new ArrayList<>();
        open.forEach((s, a) -> (a.errors > 0 ? withErrors : routine)
                .add(new Housekeeping.LogSummary(s, a.lines, a.errors, a.kept, a.first, a.last)));
        open.clear();
        withErrors.addAll(routine);
        return withErrors;
    }
}
