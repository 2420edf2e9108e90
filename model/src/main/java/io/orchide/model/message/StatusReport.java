package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node tells ground about itself, as of {@code at} (the node's clock): every workload's state, the runs that
 * changed state since the previous report, node events, and bounded log excerpts of workloads that failed.
 * Each report is a whole snapshot of the workloads, so a lost or late one is superseded by the next. {@code audit}
 * carries the node's audit records not yet reported, oldest first: each desired-state change it applied or refused;
 * {@code auditEpoch} names the node's numbering of them (a new one when the node's database is made anew, and its
 * numbers start again from 1), null with no records. {@code devices} is the node's device inventory (a whole
 * snapshot, each device's twin), or null when it has not changed since the previous report. {@code position} is where
 * the node was as of the report, or why it cannot say; null from a node that predates it.
 */
public record StatusReport(Instant at, String node, List<Workload> workloads, List<Run> runs, List<Event> events,
                           List<LogExcerpt> logs, List<Audit> audit, String auditEpoch, List<Device> devices,
                           Position position) {
    /** At most this many lines of one workload's log travel in a report. */
    public static final int MAX_LOG_LINES = 20;

    public StatusReport {
        workloads = List.copyOf(workloads);
        runs = List.copyOf(runs);
        events = List.copyOf(events);
        logs = List.copyOf(logs);
        audit = List.copyOf(audit);
        devices = devices == null ? null : List.copyOf(devices);
    }

    /** A report that says nothing of the node's position. */
    public StatusReport(Instant at, String node, List<Workload> workloads, List<Run> runs, List<Event> events,
                        List<LogExcerpt> logs, List<Audit> audit, String auditEpoch, List<Device> devices) {
        this(at, node, workloads, runs, events, logs, audit, auditEpoch, devices, null);
    }

    /**
     * Where the node was when it made the report, as its position source said: the {@code source} in words
     * ({@code none}, {@code tle NAME (epoch ...)}, {@code gnss gnss-1, then tle ...}) and either its {@code fix} or,
     * with none, the {@code reason} (no source, no fix from the receiver yet, the newest fix too old). Exactly one of
     * {@code fix} and {@code reason} is set.
     */
    public record Position(String source, Fix fix, String reason) {
        public Position {
            if (source == null || source.isBlank()) throw new IllegalArgumentException("a position names its source");
            if ((fix == null) == (reason == null)) {
                throw new IllegalArgumentException("a position has a fix or a reason for none, not both: " + fix + ", " + reason);
            }
        }

        /**
         * A fix: which source gave it ({@code from}: the receiver or the TLE of a source that falls back), its
         * {@code time}, latitude and longitude in degrees (WGS-84, south and west negative) and altitude in metres.
         */
        public record Fix(String from, Instant time, double latitudeDeg, double longitudeDeg, double altitudeM) {
        }
    }

    /** A report that says nothing of the node's devices. */
    public StatusReport(Instant at, String node, List<Workload> workloads, List<Run> runs, List<Event> events,
                        List<LogExcerpt> logs, List<Audit> audit, String auditEpoch) {
        this(at, node, workloads, runs, events, logs, audit, auditEpoch, null);
    }

    /**
     * One device of the node: its {@code name}, {@code deviceClass} ({@code camera}, {@code gnss}, ...), {@code state}
     * ({@code ready}, {@code missing}), who holds its lease ({@code leasedBy}, null: free), and its properties desired
     * and reported.
     */
    public record Device(String name, String deviceClass, String state, String leasedBy,
                         java.util.Map<String, String> desired, java.util.Map<String, String> reported) {
        public Device {
            desired = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(desired));
            reported = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(reported));
        }
    }

    /** A report without audit records. */
    public StatusReport(Instant at, String node, List<Workload> workloads, List<Run> runs, List<Event> events,
                        List<LogExcerpt> logs) {
        this(at, node, workloads, runs, events, logs, List.of(), null);
    }

    /**
     * One desired-state change the node applied or refused, as its audit keeps it: {@code seq} (the node's own
     * counter, increasing, so ground takes each record once), when (the node's clock), where it came from
     * ({@code origin}: {@code ground} or {@code local}), {@code verb} ({@code apply} or {@code delete}), the object
     * ({@code kind}, {@code name}) and its {@code tenant}, ground's {@code generation} (null for a local change),
     * {@code outcome} ({@code applied} or {@code refused}) and {@code reason} (the result, or why it was refused).
     * The device broker's decisions come the same way: origin {@code broker}, the verb asked ({@code capture},
     * {@code read}, {@code configure}), kind {@code Device}, outcome {@code allowed} or {@code refused}.
     */
    public record Audit(long seq, Instant at, String origin, String verb, String kind, String name, String tenant,
                        Integer generation, String outcome, String reason) {
        public static final String APPLIED = "applied", REFUSED = "refused", ALLOWED = "allowed";
    }

    /** A workload's state since {@code since}, with its restart count and the last message. */
    public record Workload(String name, String state, Instant since, int restarts, String message) {
    }

    /** A pipeline run's state as of {@code at}. */
    public record Run(String name, String pipeline, String state, Instant at, String message) {
    }

    /** Something that happened on the node, at {@code at}. */
    public record Event(Instant at, String subject, String message) {
    }

    /** The last lines of a workload's console. */
    public record LogExcerpt(String workload, Instant at, List<String> lines) {
        public LogExcerpt {
            lines = List.copyOf(lines.size() > MAX_LOG_LINES ? lines.subList(lines.size() - MAX_LOG_LINES, lines.size()) : lines);
        }
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        Messages.putInstant(o, "at", at);
        o.put("node", node);
        ArrayNode w = o.putArray("workloads");
        for (Workload x : workloads) {
            ObjectNode n = w.addObject();
            n.put("name", x.name());
            n.put("state", x.state());
            Messages.putInstant(n, "since", x.since());
            n.put("restarts", x.restarts());
            Messages.putText(n, "message", x.message());
        }
        ArrayNode r = o.putArray("runs");
        for (Run x : runs) {
            ObjectNode n = r.addObject();
            n.put("name", x.name());
            n.put("pipeline", x.pipeline());
            n.put("state", x.state());
            Messages.putInstant(n, "at", x.at());
            Messages.putText(n, "message", x.message());
        }
        ArrayNode e = o.putArray("events");
        for (Event x : events) {
            ObjectNode n = e.addObject();
            Messages.putInstant(n, "at", x.at());
            n.put("subject", x.subject());
            n.put("message", x.message());
        }
        ArrayNode l = o.putArray("logs");
        for (LogExcerpt x : logs) {
            ObjectNode n = l.addObject();
            n.put("workload", x.workload());
            Messages.putInstant(n, "at", x.at());
            ArrayNode lines = n.putArray("lines");
            x.lines().forEach(lines::add);
        }
        Messages.putText(o, "auditEpoch", auditEpoch);
        if (devices != null) {
            ArrayNode d = o.putArray("devices");
            for (Device x : devices) {
                ObjectNode n = d.addObject();
                n.put("name", x.name()).put("class", x.deviceClass()).put("state", x.state());
                Messages.putText(n, "leasedBy", x.leasedBy());
                ObjectNode desired = n.putObject("desired");
                x.desired().forEach(desired::put);
                ObjectNode reported = n.putObject("reported");
                x.reported().forEach(reported::put);
            }
        }
        if (position != null) {
            ObjectNode p = o.putObject("position");
            p.put("source", position.source());
            Messages.putText(p, "reason", position.reason());
            Position.Fix f = position.fix();
            if (f != null) {
                ObjectNode n = p.putObject("fix");
                Messages.putText(n, "from", f.from());
                Messages.putInstant(n, "time", f.time());
                n.put("latitudeDeg", f.latitudeDeg()).put("longitudeDeg", f.longitudeDeg()).put("altitudeM", f.altitudeM());
            }
        }
        if (!audit.isEmpty()) {
            ArrayNode a = o.putArray("audit");
            for (Audit x : audit) {
                ObjectNode n = a.addObject();
                n.put("seq", x.seq());
                Messages.putInstant(n, "at", x.at());
                n.put("origin", x.origin()).put("verb", x.verb()).put("kind", x.kind()).put("name", x.name());
                Messages.putText(n, "tenant", x.tenant());
                if (x.generation() != null) n.put("generation", x.generation());
                n.put("outcome", x.outcome());
                Messages.putText(n, "reason", x.reason());
            }
        }
        return Messages.bytes(o);
    }

    public static StatusReport decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.REPORT.wire(), payload, c -> {
            c.allowOnly("at", "node", "workloads", "runs", "events", "logs", "audit", "auditEpoch", "devices", "position");
            Instant at = Messages.instant(c.field("at"), true);
            String node = c.field("node").requiredString();
            List<Workload> workloads = new ArrayList<>();
            for (Cursor n : c.field("workloads").items()) {
                n.allowOnly("name", "state", "since", "restarts", "message");
                Integer restarts = n.field("restarts").integer(0, Integer.MAX_VALUE);
                workloads.add(new Workload(n.field("name").requiredString(), n.field("state").requiredString(),
                        Messages.instant(n.field("since"), false), restarts == null ? 0 : restarts,
                        n.field("message").string()));
            }
            List<Run> runs = new ArrayList<>();
            for (Cursor n : c.field("runs").items()) {
                n.allowOnly("name", "pipeline", "state", "at", "message");
                runs.add(new Run(n.field("name").requiredString(), n.field("pipeline").requiredString(),
                        n.field("state").requiredString(), Messages.instant(n.field("at"), true),
                        n.field("message").string()));
            }
            List<Event> events = new ArrayList<>();
            for (Cursor n : c.field("events").items()) {
                n.allowOnly("at", "subject", "message");
                events.add(new Event(Messages.instant(n.field("at"), true), n.field("subject").requiredString(),
                        n.field("message").requiredString()));
            }
            List<LogExcerpt> logs = new ArrayList<>();
            for (Cursor n : c.field("logs").items()) {
                n.allowOnly("workload", "at", "lines");
                List<String> lines = n.field("lines").stringList();
                if (lines.size() > MAX_LOG_LINES) n.field("lines").error("must hold at most " + MAX_LOG_LINES + " lines");
                logs.add(new LogExcerpt(n.field("workload").requiredString(), Messages.instant(n.field("at"), true), lines));
            }
            List<Audit> audit = new ArrayList<>();
            for (Cursor n : c.field("audit").items()) {
                n.allowOnly("seq", "at", "origin", "verb", "kind", "name", "tenant", "generation", "outcome", "reason");
                Cursor seq = n.field("seq");
                Long s = seq.size(1);
                if (!seq.present()) seq.missing();
                Cursor outcome = n.field("outcome");
                String o = outcome.requiredString();
                if (o != null && !o.equals(Audit.APPLIED) && !o.equals(Audit.REFUSED) && !o.equals(Audit.ALLOWED)) {
                    outcome.error("must be " + Audit.APPLIED + ", " + Audit.ALLOWED + " or " + Audit.REFUSED);
                }
                audit.add(new Audit(s == null ? 0 : s, Messages.instant(n.field("at"), true),
                        n.field("origin").requiredString(), n.field("verb").requiredString(),
                        n.field("kind").requiredString(), n.field("name").requiredString(), n.field("tenant").string(),
                        n.field("generation").integer(1, Integer.MAX_VALUE), o, n.field("reason").string()));
            }
            String epoch = c.field("auditEpoch").nonEmptyString();
            if (!audit.isEmpty() && epoch == null && !c.field("auditEpoch").present()) c.field("auditEpoch").missing();
            List<Device> devices = null;
            if (c.field("devices").present()) {
                devices = new ArrayList<>();
                for (Cursor n : c.field("devices").items()) {
                    n.allowOnly("name", "class", "state", "leasedBy", "desired", "reported");
                    devices.add(new Device(n.field("name").requiredString(), n.field("class").requiredString(),
                            n.field("state").requiredString(), n.field("leasedBy").string(),
                            n.field("desired").stringMap(k -> null), n.field("reported").stringMap(k -> null)));
                }
            }
            Position position = c.field("position").present() ? position(c.field("position")) : null;
            return new StatusReport(at, node, workloads, runs, events, logs, audit, epoch, devices, position);
        });
    }

    /** The report's position, or null (the errors recorded on the cursor) when it is not a well-formed one. */
    private static Position position(Cursor p) {
        p.allowOnly("source", "fix", "reason");
        String source = p.field("source").nonEmptyString();
        if (source == null && !p.field("source").present()) p.field("source").missing();
        String reason = p.field("reason").nonEmptyString();
        Position.Fix fix = null;
        Cursor f = p.field("fix");
        if (f.present()) {
            f.allowOnly("from", "time", "latitudeDeg", "longitudeDeg", "altitudeM");
            Instant time = Messages.instant(f.field("time"), true);
            Double lat = required(f.field("latitudeDeg"), -90, 90);
            Double lon = required(f.field("longitudeDeg"), -180, 180);
            Double alt = required(f.field("altitudeM"), -1e7, 1e9);
            if (time != null && lat != null && lon != null && alt != null) {
                fix = new Position.Fix(f.field("from").nonEmptyString(), time, lat, lon, alt);
            }
            if (reason != null) p.field("reason").error("must be absent when the position has a fix");
        } else if (reason == null && !p.field("reason").present()) {
            p.field("reason").error("is missing: a position without a fix says why it has none");
        }
        if (source == null || (fix == null) == (reason == null)) return null;
        return new Position(source, fix, reason);
    }

    private static Double required(Cursor c, double min, double max) {
        if (!c.present()) c.missing();
        return c.number(min, max);
    }
}
