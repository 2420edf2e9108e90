package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Makes housekeeping coarser when the budget is tight: adjacent intervals merged into one, so that fewer summaries
 * say as much (min of the mins, max of the maxes, the mean weighted by how many intervals measured it, the later
 * last; a counter's increases added). A series measured in neither interval stays unmeasured in the merged one.
 */
final class Coarsening {
    private Coarsening() {
    }

    /**
     * Merges runs of intervals until each spans up to {@code width} base intervals; intervals further apart than
     * their widths (a gap between them) are never merged across it.
     */
    static List<Housekeeping.Interval> toWidth(List<Housekeeping.Interval> in, int width, long intervalSeconds,
                                               IntFunction<Housekeeping.Kind> kinds) {
        List<Housekeeping.Interval> out = new ArrayList<>();
        Housekeeping.Interval acc = null;
        for (Housekeeping.Interval i : in) {
            boolean adjacent = acc != null
                    && acc.start().plusSeconds(acc.width() * intervalSeconds).equals(i.start())
                    && acc.width() + i.width() <= width
                    && acc.start().getEpochSecond() / (width * intervalSeconds) == i.start().getEpochSecond() / (width * intervalSeconds);
            if (adjacent) {
                acc = merge(acc, i, kinds);
            } else {
                if (acc != null) out.add(acc);
                acc = i;
            }
        }
        if (acc != null) out.add(acc);
        return out;
    }

    static Housekeeping.Interval merge(Housekeeping.Interval a, Housekeeping.Interval b, IntFunction<Housekeeping.Kind> kinds) {
        Map<Integer, Housekeeping.Cell> cells = new HashMap<>(a.cells());
        b.cells().forEach((s, y) -> {
            Housekeeping.Cell x = cells.get(s);
            if (x == null) {
                cells.put(s, y);
            } else if (kinds.apply(s) == Housekeeping.Kind.COUNTER) {
                cells.put(s, Housekeeping.Cell.flat(x.last() + y.last()));
            } else {
                double mean = (x.mean() * a.width() + y.mean() * b.width()) / (a.width() + b.width());
                cells.put(s, new Housekeeping.Cell(Math.min(x.min(), y.min()), Math.max(x.max(), y.max()), mean, y.last()));
            }
        });
        return new Housekeeping.Interval(a.start(), a.width() + b.width(), cells);
    }
}
