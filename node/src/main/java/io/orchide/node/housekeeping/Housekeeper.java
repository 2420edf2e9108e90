package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.TelemetryBudget;
import io.orchide.model.time.ScaledClock;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.Registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node's housekeeping: scrapes its own metrics {@link #SAMPLES_PER_INTERVAL} times an interval, summarises each
 * interval ({@link Aggregator}), keeps the summaries and the log summaries on board ({@link HousekeepingStore}), and
 * queues them for ground as housekeeping bundles within the satellite's budget of bytes a day ({@link Allowance}).
 *
 * <p>What goes first when the budget is tight: log summaries with error lines, then the metrics at the finest
 * resolution that fits (each step doubles an interval's width, up to {@link #MAX_WIDTH}), then routine log lines.
 * What does not fit stays on board for the next flush; nothing is queued over the budget. A span with nothing
 * measured (the agent down, every scrape failed) is kept as a gap.
 *
 * <p>The width of an interval is the node's own setting until ground sends the satellite's (with the budget, see
 * {@link TelemetryBudget#intervalSeconds()}); a new width takes effect when the open interval closes. The first
 * interval at the new width runs from where the last one ended to the next boundary of the new width that leaves it
 * at least one width long. Intervals kept at the old width go to ground in bundles of their own width.
 *
 * <pre>{@code
 * Housekeeper h = new Housekeeper(registry, store, logs, bytes -> link.send(...), clock, Duration.ofMinutes(1));
 * h.start();   // then sample(), closeInterval(), flush() on their schedule, or run() on a thread
 * }</pre>
 */
public final class Housekeeper implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** The budget until ground sets one: 1 MiB a day. */
    public static final long DEFAULT_BUDGET = 1L << 20;
    public static final int SAMPLES_PER_INTERVAL = 6;
    /** Intervals summarised between two bundles, when the budget allows. */
    public static final int INTERVALS_PER_BUNDLE = 15;
    public static final int MAX_WIDTH = 64;

    private static final System.Logger LOG = System.getLogger(Housekeeper.class.getName());
    private static final String LAST_END = "last_end";

    private final Registry registry;
    private final HousekeepingStore store;
    private final LogSummaries logs;
    private final Consumer<byte[]> send;
    private final Clock clock;
    /** The node's own setting, which ground's for the satellite overrides. */
    private final Duration configured;
    /** The width of the open interval; changed only by {@link #closeInterval()} and {@link #open()}. */
    private volatile Duration interval;
    private final String node;
    private final Aggregator aggregator = new Aggregator();
    private final Allowance allowance;
    /** The metric counting the bytes of the housekeeping bundles queued for ground. */
    public static final String SENT_BYTES = "orchide_housekeeping_bytes_total";
    private final io.orchide.web.telemetry.Counter sentBytes;
    private final List<Runnable> beforeClose = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Instant intervalStart;
    private volatile Thread thread;
    private volatile boolean closed;

    public Housekeeper(String node, Registry registry, HousekeepingStore store, LogSummaries logs, Consumer<byte[]> send,
                       Clock clock, Duration interval) {
        if (interval.toSeconds() < 1 || interval.toSeconds() > 86_400 || interval.getNano() != 0) {
            throw new IllegalArgumentException("housekeeping interval " + interval + ": whole seconds from 1 s to 1 day");
        }
        this.node = node;
        this.registry = registry;
        this.store = store;
        this.logs = logs;
        this.send = send;
        this.clock = clock;
        this.configured = interval;
        this.interval = wanted();
        this.allowance = new Allowance(budgetNow(), clock);
        // among the metrics it summarises: ground then holds, per satellite, what housekeeping cost of its budget
        this.sentBytes = registry.counter(SENT_BYTES, "Bytes of housekeeping bundles queued for ground since the agent started.");
    }

    /** The width an interval should have now: ground's for the satellite when it sent one, else the node's own. */
    private Duration wanted() {
        return store.budget().filter(b -> b.intervalSeconds() > 0).map(b -> Duration.ofSeconds(b.intervalSeconds()))
                .orElse(configured);
    }

    /** The width of one interval now. */
    public Duration interval() {
        return interval;
    }

    /** Opens the first interval; the span since the last interval kept before a restart is a gap. */
    public synchronized void open() {
        interval = wanted();
        Instant now = floor(clock.instant());
        Instant last = store.value(LAST_END).map(s -> Instant.ofEpochSecond(Long.parseLong(s))).orElse(null);
        if (last != null && last.isBefore(now)) store.addGap(last, now);
        // after a change of width the floor may lie before the last end: the intervals never overlap
        intervalStart = last != null && last.isAfter(now) ? last : now;
        store.value(LAST_END, Long.toString(intervalStart.getEpochSecond()));
    }

    /** Asks {@code r} to run before each interval closes (the console followers catch up with new workloads). */
    public void beforeClose(Runnable r) {
        beforeClose.add(r);
    }

    /** Takes one scrape of the node's metrics into the open interval. */
    public synchronized void sample() {
        List<MetricFamily> scrape = registry.collect();
        aggregator.observe(scrape);
    }

    /**
     * Closes the open interval at the interval boundary now: its summaries are kept until sent; an interval in which
     * nothing was measured is kept as a gap; the log summaries go with it.
     */
    public synchronized void closeInterval() {
        for (Runnable r : beforeClose) r.run();
        if (intervalStart == null) open();
        Instant end = floor(clock.instant());
        long width = end.isAfter(intervalStart) ? Duration.between(intervalStart, end).toSeconds() / interval.toSeconds() : 0;
        if (width == 0) return; // the first interval after a change of width: not one width long yet
        Map<String, Aggregator.Summary> summaries = aggregator.close();
        Map<Integer, Housekeeping.Cell> cells = new HashMap<>();
        summaries.forEach((key, s) -> cells.put(store.index(key, s.kind()), s.cell()));
        if (cells.isEmpty()) {
            store.addGap(intervalStart, end);
            aggregator.forgetBaselines();
        } else {
            // an interval closed late (the agent stalled) covers the whole span it measured
            store.addInterval(new Housekeeping.Interval(intervalStart, (int) Math.min(width, MAX_WIDTH), cells), interval);
            if (width > MAX_WIDTH) store.addGap(intervalStart.plus(interval.multipliedBy(MAX_WIDTH)), end);
        }
        store.addLogs(logs.drain());
        intervalStart = end;
        store.value(LAST_END, Long.toString(end.getEpochSecond()));
        Duration next = wanted();
        if (!next.equals(interval)) {
            LOG.log(System.Logger.Level.INFO, "housekeeping interval now {0} s (was {1} s)", next.toSeconds(), interval.toSeconds());
            interval = next;
        }
    }

    /** Takes the budget ground sent unless one as new is held already; returns whether it took it. */
    public synchronized boolean budget(TelemetryBudget b) {
        if (!store.take(b)) return false;
        allowance.budget(b.bytesPerDay());
        return true;
    }

    /** The budget in bytes a day: ground's last, or {@link #DEFAULT_BUDGET} before it sent one. */
    public long budget() {
        return allowance.budget();
    }

    private long budgetNow() {
        return store.budget().map(TelemetryBudget::bytesPerDay).filter(b -> b > 0).orElse(DEFAULT_BUDGET);
    }

    /**
     * Queues what fits the allowance now as one bundle, errors first and at the finest resolution that fits; returns
     * the bundle's size, or 0 when nothing was queued.
     */
    public synchronized int flush() {
        List<HousekeepingStore.Kept> kept = store.intervals();
        // one width per bundle: the oldest kept intervals' width first, those of another width at the next flush
        Duration width = kept.isEmpty() ? interval : kept.getFirst().width();
        List<Housekeeping.Interval> intervals = new ArrayList<>();
        for (HousekeepingStore.Kept k : kept) {
            if (!k.width().equals(width)) break;
            intervals.add(k.interval());
        }
        List<Housekeeping.Gap> gaps = store.gaps();
        Map<Long, Housekeeping.LogSummary> keptLogs = store.logs();
        if (intervals.isEmpty() && gaps.isEmpty() && keptLogs.isEmpty()) return 0;
        long perDay = budgetNow(); // the link's intake keeps ground's budget in the store
        if (perDay != allowance.budget()) allowance.budget(perDay);
        long available = allowance.available();
        List<Housekeeping.Series> series = store.series(true);
        Map<Integer, Housekeeping.Kind> kinds = store.kinds();
        List<Long> errorSeqs = new ArrayList<>(), routineSeqs = new ArrayList<>();
        List<Housekeeping.LogSummary> errors = new ArrayList<>(), routine = new ArrayList<>();
        keptLogs.forEach((seq, l) -> {
            if (l.errorLines() > 0) {
                errorSeqs.add(seq);
                errors.add(l);
            } else {
                routineSeqs.add(seq);
                routine.add(l);
            }
        });
        List<Housekeeping.LogSummary> all = new ArrayList<>(errors);
        all.addAll(routine);
        List<Long> allSeqs = new ArrayList<>(errorSeqs);
        allSeqs.addAll(routineSeqs);
        // the log lines with errors first, then the metrics as fine as they fit, then the routine lines
        for (int w = 1; w <= MAX_WIDTH; w *= 2) {
            List<Housekeeping.Interval> coarse = Coarsening.toWidth(intervals, w, width.toSeconds(), kinds::get);
            if (queue(width, series, coarse, gaps, all, allSeqs, available)) return lastSize;
        }
        List<Housekeeping.Interval> coarsest = Coarsening.toWidth(intervals, MAX_WIDTH, width.toSeconds(), kinds::get);
        if (queue(width, series, coarsest, gaps, errors, errorSeqs, available)) return lastSize;
        if (queue(width, List.of(), List.of(), List.of(), errors, errorSeqs, available)) return lastSize;
        LOG.log(System.Logger.Level.DEBUG, "housekeeping waits: {0} bytes allowed now", available);
        return 0;
    }

    private int lastSize;

    private boolean queue(Duration interval, List<Housekeeping.Series> series, List<Housekeeping.Interval> intervals,
                          List<Housekeeping.Gap> gaps, List<Housekeeping.LogSummary> logs, List<Long> logSeqs, long available) {
        if (intervals.isEmpty() && gaps.isEmpty() && logs.isEmpty()) return false;
        List<Housekeeping.Series> named = intervals.isEmpty() ? List.of() : series;
        byte[] bytes = new Housekeeping(node, store.value("epoch").orElseThrow(), interval, named, intervals, gaps, logs).encode();
        if (bytes.length > available) return false;
        allowance.spend(bytes.length);
        send.accept(bytes);
        sentBytes.inc(bytes.length);
        Instant before = intervals.isEmpty() ? null
                : intervals.getLast().start().plus(interval.multipliedBy(intervals.getLast().width()));
        store.sent(named.stream().map(Housekeeping.Series::index).toList(), before, gaps, logSeqs);
        lastSize = bytes.length;
        return true;
    }

    private Instant floor(Instant t) {
        long s = interval.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
    }

    /** Samples, closes intervals and flushes on their schedule on a thread of its own, until closed. */
    public void start() {
        open();
        thread = Thread.ofPlatform().daemon().name("housekeeping").start(() -> {
            int closes = 0;
            while (!closed) {
                Duration step = interval.dividedBy(SAMPLES_PER_INTERVAL);
                try {
                    sample();
                    Instant now = clock.instant();
                    if (!floor(now).isBefore(intervalStart.plus(interval))) {
                        closeInterval();
                        if (++closes % INTERVALS_PER_BUNDLE == 0) flush();
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "housekeeping failed this time", e);
                }
                try {
                    Thread.sleep(ScaledClock.realDelay(clock, step));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
