package io.orchide.node.link;

import io.orchide.link.LinkEndpoint;
import io.orchide.link.Outgoing;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.store.EventRecord;
import io.orchide.node.store.NodeStore;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.WorkloadState;
import io.orchide.node.workload.WorkloadView;
import io.orchide.runtime.supervise.ConsoleRing;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends ground a status report when something changed: every workload's state, the runs whose state changed since
 * the last report, the node's events, and the last lines of a workload's log when it has just failed. A report that
 * would say nothing new is not sent. Reports are small and go ahead of products. The node's audit records not yet
 * reported go with it (at most {@link #AUDIT_PER_REPORT}; the rest with the next) and are marked reported once the
 * link has queued the report, which it keeps through reboots and resends until ground has it: a crash between the two
 * sends them again, and ground takes each sequence number once. Each report carries the node's position as of the
 * report; when the position alone makes one is {@link PositionNews}'s to say.
 */
final class StatusReporter {
    static final int RUNS_LOOKED_AT = 200;
    static final int AUDIT_PER_REPORT = 200;
    private static final Set<WorkloadState> FAILING = Set.of(WorkloadState.FAILED, WorkloadState.CRASH_LOOP,
            WorkloadState.BACK_OFF);

    private final String node;
    private final LinkEndpoint link;
    private final Reconciler reconciler;
    private final NodeStore workloadStore;
    private final PipelineStore runs;
    private final NodeEvents events;
    private final AuditTrail audit;
    private final Clock clock;
    private Map<String, String> lastWorkloads = Map.of();
    private final Map<String, String> lastRuns = new HashMap<>();

    private final java.util.function.Supplier<List<StatusReport.Device>> devices;
    // null until a report carried the inventory: the first report after a start always carries it
    private List<StatusReport.Device> lastDevices;
    private java.util.function.Function<Instant, StatusReport.Position> position = t -> null;
    private final PositionNews positionNews = new PositionNews();

    StatusReporter(String node, LinkEndpoint link, Reconciler reconciler, NodeStore workloads, PipelineStore runs,
                   NodeEvents events, AuditTrail audit, Clock clock) {
        this(node, link, reconciler, workloads, runs, events, audit, clock, null);
    }

    /** With the node's device inventory as {@code devices} gives it (null: none), sent when it changed. */
    StatusReporter(String node, LinkEndpoint link, Reconciler reconciler, NodeStore workloads, PipelineStore runs,
                   NodeEvents events, AuditTrail audit, Clock clock,
                   java.util.function.Supplier<List<StatusReport.Device>> devices) {
        this.devices = devices;
        this.audit = audit;
        this.node = node;
        this.link = link;
        this.reconciler = reconciler;
        this.workloadStore = workloads;
        this.runs = runs;
        this.events = events;
        this.clock = clock;
    }

    /** Has each report carry the node's position at the report's time, as {@code position} gives it. */
    StatusReporter withPosition(java.util.function.Function<Instant, StatusReport.Position> position) {
        this.position = java.util.Objects.requireNonNull(position, "position");
        return this;
    }

    /** A contact started: the next report carries a fresh position even if nothing else changed. */
    void contactOpened() {
        positionNews.contactOpened();
    }

    /** Builds the report and queues it when it says something new; returns it, or null when nothing changed. */
    StatusReport reportIfChanged() {
        Instant now = clock.instant();
        List<StatusReport.Workload> workloads = new ArrayList<>();
        List<StatusReport.LogExcerpt> logs = new ArrayList<>();
        Map<String, String> states = new HashMap<>();
        for (WorkloadView w : reconciler.list()) {
            List<EventRecord> last = workloadStore.events(w.name(), 1);
            Instant since = last.isEmpty() ? w.createdAt() : last.getFirst().at();
            workloads.add(new StatusReport.Workload(w.name(), w.state().wire(), since, w.restarts(), w.message()));
            states.put(w.name(), w.state().wire() + "|" + w.restarts() + "|" + w.message());
            String before = lastWorkloads.get(w.name());
            if (FAILING.contains(w.state()) && (before == null || !before.startsWith(w.state().wire() + "|"))) {
                logs.add(new StatusReport.LogExcerpt(w.name(), now, tail(w.name())));
            }
        }
        List<StatusReport.Run> changedRuns = new ArrayList<>();
        Map<String, String> runStates = new HashMap<>();
        for (PipelineRun r : runs.runs(null, null, RUNS_LOOKED_AT)) {
            String state = r.state().wire();
            runStates.put(r.name(), state);
            if (!state.equals(lastRuns.get(r.name()))) {
                Instant at = r.endedAt() != null ? r.endedAt() : r.startedAt() != null ? r.startedAt() : r.createdAt();
                changedRuns.add(new StatusReport.Run(r.name(), r.pipeline(), state, at, r.reason()));
            }
        }
        List<StatusReport.Event> news = events.peek();
        List<StatusReport.Audit> records = audit.unreported(AUDIT_PER_REPORT);
        List<StatusReport.Device> inventory = devices == null ? null : devices.get();
        boolean devicesChanged = inventory != null && !inventory.equals(lastDevices);
        StatusReport.Position where = position.apply(now);
        if (states.equals(lastWorkloads) && changedRuns.isEmpty() && news.isEmpty() && records.isEmpty()
                && !devicesChanged && !positionNews.due(where)) return null;
        StatusReport report = new StatusReport(now, node, workloads, changedRuns.reversed(), news, logs, records,
                records.isEmpty() ? null : audit.epoch(), devicesChanged ? inventory : null, where);
        link.send(new Outgoing("ground", BundleKind.REPORT.wire(), BundleKind.REPORT.priority(), BundleKind.REPORT.lifetime(),
                report.encode()));
        lastWorkloads = states;
        lastDevices = inventory;
        positionNews.sent(where);
        lastRuns.putAll(runStates);
        events.taken(news.size());
        if (!records.isEmpty()) audit.reported(records.getLast().seq());
        return report;
    }

    /** Reports what changed, then again while audit records are left that one report could not carry. */
    void reportAll() {
        StatusReport r;
        do {
            r = reportIfChanged();
        } while (r != null && r.audit().size() == AUDIT_PER_REPORT);
    }

    private List<String> tail(String workload) {
        try {
            return ConsoleRing.tail(reconciler.console(workload), StatusReport.MAX_LOG_LINES);
        } catch (IOException | RuntimeException | io.orchide.node.workload.NoSuchWorkloadException e) {
            return List.of("(log unavailable: " + e.getMessage() + ")");
        }
    }
}
