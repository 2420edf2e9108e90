package io.orchide.model.message;

import io.orchide.model.FieldError;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A node's housekeeping for ground: per-interval summaries of its metrics and summaries of its logs, in a compact
 * binary form (the wire contract of {@link BundleKind#HOUSEKEEPING} bundles).
 *
 * <p>Series are named once: {@code series} holds the dictionary entries this bundle introduces (index, key, kind);
 * intervals refer to series by index, and ground keeps the dictionary of each node's {@code epoch} (a node that
 * starts a new dictionary names a new epoch). A series key is a Prometheus series, {@code name{label="value",...}};
 * a histogram travels as its {@code _count} and {@code _sum} counters. An interval holds one {@link Cell} per series
 * measured in it; a series not in {@code cells} was not measured (a gap, never a zero). {@code gaps} are spans in
 * which nothing at all was measured (the agent was down, or its kept housekeeping was over its bound).
 *
 * <p>Layout, version 1: the bytes {@code 'O' 'H'}, the version byte, then a raw DEFLATE stream of: node, epoch
 * (strings: varint length + UTF-8), interval seconds, base second (varints); the new series (count, then index,
 * kind byte, key each); the intervals (count, then start as seconds after base, width in intervals, slot count, and
 * per slot a cell tag: 0 not measured, 1 flat at the series' previous last value, 2 flat at a new value, 3 min, max,
 * mean, last); the gaps (count, then from and to as seconds after base); the log summaries (count, then subject,
 * lines, error lines, the kept error lines, first and last line). A number is a varint of its zigzag value times two
 * when it is an integer below 2^52, otherwise the varint 1 followed by its IEEE 754 bits (8 bytes): counts, bytes
 * and states, most of what a node measures, take one or two bytes, and a value unchanged since the previous interval
 * takes one tag byte.
 */
public record Housekeeping(String node, String epoch, Duration interval, List<Series> series, List<Interval> intervals,
                           List<Gap> gaps, List<LogSummary> logs) {
    public static final byte VERSION = 1;
    /** At most this many error lines of one log travel in one summary; longer lines are cut at {@link #MAX_LINE}. */
    public static final int MAX_ERROR_LINES = 20, MAX_LINE = 200;
    private static final int MAX_COUNT = 1_000_000;
    /** Times are seconds since 1970 up to here (year 5000 or so): more is damage, not a time. */
    private static final long MAX_SECONDS = 1L << 37;
    private static final int MAX_INFLATED = 64 << 20;

    public Housekeeping {
        series = List.copyOf(series);
        intervals = List.copyOf(intervals);
        gaps = List.copyOf(gaps);
        logs = List.copyOf(logs);
        if (interval == null || interval.toSeconds() < 1) throw new IllegalArgumentException("interval " + interval + ": at least one second");
    }

    /** How a series' values are read: a gauge's cells are its min, max, mean and last; a counter's are its increase. */
    public enum Kind {
        GAUGE, COUNTER
    }

    /** One dictionary entry: the series {@code key} is referred to by {@code index} from now on. */
    public record Series(int index, String key, Kind kind) {
    }

    /** A series' summary over one interval; a counter's increase is all four values. */
    public record Cell(double min, double max, double mean, double last) {
        public static Cell flat(double v) {
            return new Cell(v, v, v, v);
        }

        boolean isFlat() {
            return same(min, last) && same(max, last) && same(mean, last);
        }
    }

    /**
     * The summaries of the {@code width} intervals starting at {@code start} ({@code width} over 1 when a tight budget
     * made the resolution coarser), by series index.
     */
    public record Interval(Instant start, int width, Map<Integer, Cell> cells) {
        public Interval {
            if (width < 1) throw new IllegalArgumentException("width " + width + ": at least 1");
            cells = Map.copyOf(cells);
        }
    }

    /** Nothing was measured from {@code from} to {@code to}. */
    public record Gap(Instant from, Instant to) {
    }

    /**
     * A log's summary over an interval: {@code subject} ({@code workload/NAME} or {@code run/RUN/STEP}), its line
     * count and error line count, some of its error lines (at most {@link #MAX_ERROR_LINES}), its first and last line.
     */
    public record LogSummary(String subject, long lines, long errorLines, List<String> errors, String first, String last) {
        public LogSummary {
            errors = errors.stream().limit(MAX_ERROR_LINES).map(Housekeeping::cut).toList();
            first = first == null ? null : cut(first);
            last = last == null ? null : cut(last);
        }
    }

    static String cut(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE);
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    public byte[] encode() {
        Writer w = new Writer();
        long base = base();
        w.string(node);
        w.string(epoch);
        w.varint(interval.toSeconds());
        w.varint(base);
        w.varint(series.size());
        for (Series s : series) {
            w.varint(s.index());
            w.out.write(s.kind().ordinal());
            w.string(s.key());
        }
        w.varint(intervals.size());
        Map<Integer, Double> previous = new HashMap<>();
        for (Interval i : intervals) {
            w.varint(i.start().getEpochSecond() - base);
            w.varint(i.width());
            int slots = i.cells().keySet().stream().mapToInt(x -> x + 1).max().orElse(0);
            w.varint(slots);
            for (int s = 0; s < slots; s++) {
                Cell c = i.cells().get(s);
                if (c == null) {
                    w.out.write(0);
                } else if (c.isFlat()) {
                    Double p = previous.get(s);
                    if (p != null && same(p, c.last())) {
                        w.out.write(1);
                    } else {
                        w.out.write(2);
                        w.number(c.last());
                    }
                } else {
                    w.out.write(3);
                    w.number(c.min());
                    w.number(c.max());
                    w.number(c.mean());
                    w.number(c.last());
                }
                if (c != null) previous.put(s, c.last());
            }
        }
        w.varint(gaps.size());
        for (Gap g : gaps) {
            w.varint(g.from().getEpochSecond() - base);
            w.varint(g.to().getEpochSecond() - base);
        }
        w.varint(logs.size());
        for (LogSummary l : logs) {
            w.string(l.subject());
            w.varint(l.lines());
            w.varint(l.errorLines());
            w.varint(l.errors().size());
            for (String e : l.errors()) w.string(e);
            w.optional(l.first());
            w.optional(l.last());
        }
        byte[] body = w.out.toByteArray();
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(body);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('O');
        out.write('H');
        out.write(VERSION);
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** The second every time in the bundle is written after: the earliest one. */
    private long base() {
        long b = Long.MAX_VALUE;
        for (Interval i : intervals) b = Math.min(b, i.start().getEpochSecond());
        for (Gap g : gaps) b = Math.min(b, g.from().getEpochSecond());
        return b == Long.MAX_VALUE ? 0 : Math.max(0, b);
    }

    public static Housekeeping decode(byte[] payload) throws MessageException {
        if (payload == null || payload.length < 3 || payload[0] != 'O' || payload[1] != 'H') {
            throw error("header", payload == null ? null : payload.length + " bytes", "not a housekeeping bundle (no OH header)");
        }
        if (payload[2] != VERSION) {
            throw error("version", Integer.toString(payload[2]), "this ground reads version " + VERSION);
        }
        Reader r = new Reader(inflate(payload));
        try {
            String node = r.string("node");
            String epoch = r.string("epoch");
            long seconds = r.varint("interval");
            if (seconds < 1 || seconds > 86_400) throw error("interval", Long.toString(seconds), "from 1 to 86400 seconds");
            long base = r.bounded("base", MAX_SECONDS);
            List<Series> series = new ArrayList<>();
            int n = r.count("series");
            for (int k = 0; k < n; k++) {
                int index = (int) r.bounded("series[" + k + "].index", MAX_COUNT);
                int kind = r.u8("series[" + k + "].kind");
                if (kind >= Kind.values().length) throw error("series[" + k + "].kind", Integer.toString(kind), "0 (gauge) or 1 (counter)");
                series.add(new Series(index, r.string("series[" + k + "].key"), Kind.values()[kind]));
            }
            List<Interval> intervals = new ArrayList<>();
            Map<Integer, Double> previous = new HashMap<>();
            n = r.count("intervals");
            for (int k = 0; k < n; k++) {
                String p = "intervals[" + k + "]";
                Instant start = Instant.ofEpochSecond(base + r.bounded(p + ".start", MAX_SECONDS));
                int width = (int) r.bounded(p + ".width", MAX_COUNT);
                if (width < 1) throw error(p + ".width", "0", "at least 1");
                int slots = r.count(p + ".slots");
                Map<Integer, Cell> cells = new TreeMap<>();
                for (int s = 0; s < slots; s++) {
                    String cp = p + ".cells[" + s + "]";
                    int tag = r.u8(cp);
                    Cell c = switch (tag) {
                        case 0 -> null;
                        case 1 -> {
                            Double prev = previous.get(s);
                            if (prev == null) throw error(cp, "1", "repeats a value the bundle has not given before");
                            yield Cell.flat(prev);
                        }
                        case 2 -> Cell.flat(r.number(cp));
                        case 3 -> new Cell(r.number(cp + ".min"), r.number(cp + ".max"), r.number(cp + ".mean"), r.number(cp + ".last"));
                        default -> throw error(cp, Integer.toString(tag), "cell tag must be 0 to 3");
                    };
                    if (c != null) {
                        cells.put(s, c);
                        previous.put(s, c.last());
                    }
                }
                intervals.add(new Interval(start, width, cells));
            }
            List<Gap> gaps = new ArrayList<>();
            n = r.count("gaps");
            for (int k = 0; k < n; k++) {
                Instant from = Instant.ofEpochSecond(base + r.bounded("gaps[" + k + "].from", MAX_SECONDS));
                Instant to = Instant.ofEpochSecond(base + r.bounded("gaps[" + k + "].to", MAX_SECONDS));
                if (to.isBefore(from)) throw error("gaps[" + k + "].to", to.toString(), "before its from " + from);
                gaps.add(new Gap(from, to));
            }
            List<LogSummary> logs = new ArrayList<>();
            n = r.count("logs");
            for (int k = 0; k < n; k++) {
                String p = "logs[" + k + "]";
                String subject = r.string(p + ".subject");
                long lines = r.varint(p + ".lines");
                long errors = r.varint(p + ".errorLines");
                int e = r.count(p + ".errors");
                if (e > MAX_ERROR_LINES) throw error(p + ".errors", Integer.toString(e), "at most " + MAX_ERROR_LINES + " lines");
                List<String> kept = new ArrayList<>();
                for (int j = 0; j < e; j++) kept.add(r.string(p + ".errors[" + j + "]"));
                logs.add(new LogSummary(subject, lines, errors, kept, r.optional(p + ".first"), r.optional(p + ".last")));
            }
            if (r.in.hasRemaining()) throw error("end", r.in.remaining() + " bytes", "bytes after the last log summary");
            return new Housekeeping(node, epoch, Duration.ofSeconds(seconds), series, intervals, gaps, logs);
        } catch (Truncated t) {
            throw error(t.field, null, "the bundle ends inside this field (truncated)");
        }
    }

    private static byte[] inflate(byte[] payload) throws MessageException {
        Inflater inf = new Inflater(true);
        inf.setInput(payload, 3, payload.length - 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inf.finished()) {
                int got = inf.inflate(buf);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw error("body", (payload.length - 3) + " bytes", "the compressed body is truncated");
                }
                out.write(buf, 0, got);
                if (out.size() > MAX_INFLATED) throw error("body", out.size() + " bytes", "more than " + MAX_INFLATED + " bytes once inflated");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw error("body", (payload.length - 3) + " bytes", "not a DEFLATE stream: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    private static MessageException error(String field, String value, String why) {
        return new MessageException(BundleKind.HOUSEKEEPING.wire(), List.of(new FieldError(field, value, why)));
    }

    private static final class Truncated extends RuntimeException {
        final String field;

        Truncated(String field) {
            super(field, null, false, false);
            this.field = field;
        }
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(long v) {
            if (v < 0) throw new IllegalArgumentException("varint " + v + ": must not be negative");
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void number(double v) {
            if (v == Math.rint(v) && Math.abs(v) < (1L << 52) && !(v == 0 && 1 / v < 0)) {
                long l = (long) v;
                varint(((l << 1) ^ (l >> 63)) << 1);
            } else {
                varint(1);
                long bits = Double.doubleToRawLongBits(v);
                for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            out.writeBytes(b);
        }

        void optional(String s) {
            if (s == null) {
                varint(0);
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                varint(b.length + 1L);
                out.writeBytes(b);
            }
        }
    }

    private static final class Reader {
        final ByteBuffer in;

        Reader(byte[] bytes) {
            in = ByteBuffer.wrap(bytes);
        }

        int u8(String field) {
            if (!in.hasRemaining()) throw new Truncated(field);
            return in.get() & 0xFF;
        }

        long varint(String field) throws MessageException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8(field);
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (v < 0) throw error(field, Long.toUnsignedString(v), "a varint over 2^63");
                    return v;
                }
            }
            throw error(field, null, "a varint longer than 10 bytes");
        }

        long bounded(String field, long max) throws MessageException {
            long v = varint(field);
            if (v > max) throw error(field, Long.toString(v), "at most " + max);
            return v;
        }

        int count(String field) throws MessageException {
            long v = bounded(field, MAX_COUNT);
            if (v > in.remaining()) throw error(field, Long.toString(v), "more entries than bytes left (" + in.remaining() + ")");
            return (int) v;
        }

        double number(String field) throws MessageException {
            long v = varint(field);
            if (v == 1) {
                if (in.remaining() < 8) throw new Truncated(field);
                return Double.longBitsToDouble(in.getLong());
            }
            if ((v & 1) != 0) throw error(field, Long.toString(v), "a number's tag is 1 or an even varint");
            long z = v >>> 1;
            return (double) ((z >>> 1) ^ -(z & 1));
        }

        String string(String field) throws MessageException {
            int len = (int) bounded(field, MAX_COUNT);
            if (len > in.remaining()) throw new Truncated(field);
            byte[] b = new byte[len];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        String optional(String field) throws MessageException {
            long len = bounded(field, MAX_COUNT + 1L);
            if (len == 0) return null;
            if (len - 1 > in.remaining()) throw new Truncated(field);
            byte[] b = new byte[(int) len - 1];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
