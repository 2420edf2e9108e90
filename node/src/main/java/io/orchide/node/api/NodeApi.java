package io.orchide.node.api;

import io.orchide.model.Manifest;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.node.pipeline.run.PipelineRefusedException;
import io.orchide.node.apply.Applier;
import io.orchide.node.dataset.DatasetRefusedException;
import io.orchide.node.store.WorkloadHistory;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.trust.OnBoardTrust;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.workload.AdmissionException;
import io.orchide.node.workload.ApplyResult;
import io.orchide.node.workload.Drivers;
import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.WorkloadState;
import io.orchide.node.workload.WorkloadView;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;

/** The resources of the node's local API, under {@code /api/v1}. */
public final class NodeApi {
    private static final String NAME = "([a-z0-9][-a-z0-9]*)";
    /** Liveness: answers {@code {"status":"ok"}} while the agent serves HTTP, without a token (see {@link TokenGate}). */
    public static final String HEALTH = "/api/v1/health";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** The states in which no attempt runs: {@code logs -f} ends there, as the console has its last line. */
    private static final java.util.Set<WorkloadState> ATTEMPT_OVER = java.util.EnumSet.of(WorkloadState.SUCCEEDED,
            WorkloadState.FAILED, WorkloadState.STOPPED, WorkloadState.CRASH_LOOP, WorkloadState.BACK_OFF);

    private final Reconciler reconciler;
    private final WorkloadHistory history;
    private final Drivers drivers;
    private final Arch arch;
    private final Instant startedAt;
    private final String version;
    private final Applier applier;
    private final AuditTrail audit;
    private volatile OnBoardTrust trust;

    public NodeApi(Reconciler reconciler, WorkloadHistory history, Drivers drivers, Arch arch, Instant startedAt,
                   String version, Applier applier) {
        this(reconciler, history, drivers, arch, startedAt, version, applier, null);
    }

    /** Recording each change applied or refused in {@code audit} (null: nowhere). */
    public NodeApi(Reconciler reconciler, WorkloadHistory history, Drivers drivers, Arch arch, Instant startedAt,
                   String version, Applier applier, AuditTrail audit) {
        this.audit = audit;
        this.applier = applier;
        this.reconciler = reconciler;
        this.history = history;
        this.drivers = drivers;
        this.arch = arch;
        this.startedAt = startedAt;
        this.version = version;
    }

    /**
     * Holds every apply to the chain of trust pinned on the node, as desired state from ground is: on a node with a
     * root, a manifest naming a content image not signed for its tenant by a key the root delegates is refused (403
     * {@code untrusted}, naming the field, the image and what failed) and audited; nothing is applied.
     */
    public NodeApi withTrust(OnBoardTrust trust) {
        this.trust = trust;
        return this;
    }

    public void register(ApiServer s) {
        // the one route open without a token: its body must never tell anything of the node's state
        s.route("GET", HEALTH, (ex, m) -> Exchange.send(ex, 200, Exchange.JSON.objectNode().put("status", "ok")))
                .route("GET", "/api/v1/node", (ex, m) -> Exchange.send(ex, 200, node()))
                .route("GET", "/api/v1/doctor", (ex, m) -> Exchange.send(ex, 200, doctor()))
                .route("POST", "/api/v1/apply", (ex, m) -> apply(ex))
                .route("GET", "/api/v1/workloads", (ex, m) -> list(ex))
                .route("GET", "/api/v1/workloads/" + NAME, (ex, m) -> describe(ex, m.group(1)))
                .route("DELETE", "/api/v1/workloads/" + NAME, (ex, m) -> delete(ex, m.group(1)))
                .route("POST", "/api/v1/workloads/" + NAME + "/(stop|start|restart)", this::action)
                .route("GET", "/api/v1/workloads/" + NAME + "/logs", (ex, m) -> logs(ex, m.group(1)))
                .route("GET", "/api/v1/workloads/" + NAME + "/wait", (ex, m) -> await(ex, m.group(1)))
                .route("GET", "/api/v1/audit", (ex, m) -> audit(ex));
    }

    /** The node's last audit records, newest first, with whether ground has them yet ({@code ?limit=}, 100). */
    private void audit(HttpExchange ex) throws Exception {
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 100, 1, AuditTrail.MAX);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (var r : audit == null ? List.<io.orchide.model.message.StatusReport.Audit>of() : audit.recent(limit)) {
            ObjectNode n = a.addObject();
            n.put("seq", r.seq()).put("at", r.at().toString()).put("origin", r.origin()).put("verb", r.verb())
                    .put("kind", r.kind()).put("name", r.name());
            if (r.tenant() != null) n.put("tenant", r.tenant());
            if (r.generation() != null) n.put("generation", r.generation());
            n.put("outcome", r.outcome());
            if (r.reason() != null) n.put("reason", r.reason());
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private void record(String verb, String kind, String name, String tenant, String outcome, String reason) {
        if (audit != null) audit.record(new AuditTrail.Change(AuditTrail.LOCAL, verb, kind, name, tenant, null, outcome, reason));
    }

    /** A refusal for the tenant's quota: 403 {@code quota_exceeded}, naming the quota, the use and the request. */
    static ApiException quotaExceeded(QuotaExceededException e) {
        String r = e.resource();
        String field = switch (r) {
            case "cpu" -> "spec.resources.vcpus";
            case "memory" -> "spec.resources.memoryMiB";
            default -> "storage";
        };
        return new ApiException(403, "quota_exceeded", e.getMessage(), List.of(
                new FieldError("quota." + r, QuotaExceededException.amount(r, e.quota()), "tenant " + e.tenant() + "'s on-board quota"),
                new FieldError("use." + r, QuotaExceededException.amount(r, e.use()), "what the tenant's workloads and runs hold now"),
                new FieldError(field, QuotaExceededException.amount(r, e.request()), "requested: over the quota by "
                        + QuotaExceededException.amount(r, e.use() + e.request() - e.quota()))));
    }

    private ObjectNode node() {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("arch", arch.wire());
        o.put("version", version);
        o.put("started", startedAt.toString());
        o.putObject("capacity").put("vcpus", reconciler.capacity().vcpus())
                .put("memoryMiB", reconciler.capacity().memoryMiB());
        o.putObject("free").put("vcpus", reconciler.free().vcpus()).put("memoryMiB", reconciler.free().memoryMiB());
        o.put("workloads", reconciler.list().size());
        return o;
    }

    private ObjectNode doctor() {
        ObjectNode o = Exchange.JSON.objectNode();
        ArrayNode a = o.putArray("probes");
        for (Probe p : drivers.probe()) a.add(Views.probe(p));
        return o;
    }

    private void apply(HttpExchange ex) throws Exception {
        String text = Exchange.body(ex);
        Manifest manifest;
        try {
            List<Manifest> all = Manifests.parseAll(text, arch);
            if (all.size() != 1) {
                throw new ApiException(422, "invalid", "send one manifest per request, not " + all.size(),
                        List.of(new FieldError("body", Integer.toString(all.size()), "one manifest per request")));
            }
            manifest = all.get(0);
        } catch (ManifestException e) {
            List<FieldError> errs = e.errors();
            throw new ApiException(422, "invalid", "manifest rejected: " + errs.size() + " error(s)", errs);
        }
        OnBoardTrust t = trust;
        var refused = t == null ? java.util.Optional.<OnBoardTrust.Refusal>empty() : t.refusal(manifest);
        if (refused.isPresent()) {
            String reason = "not booted: " + refused.get().reason();
            record(AuditTrail.APPLY, manifest.kind(), manifest.name(), manifest.metadata().tenant(),
                    io.orchide.model.message.StatusReport.Audit.REFUSED, reason);
            throw new ApiException(403, "untrusted", manifest.kind() + " " + manifest.name() + " " + reason,
                    List.of(new FieldError(refused.get().field(), refused.get().image(), refused.get().reason())));
        }
        Applier.Outcome outcome;
        try {
            outcome = applier.apply(manifest);
        } catch (AdmissionException | LaunchException | PipelineRefusedException | DatasetRefusedException e) {
            record(AuditTrail.APPLY, manifest.kind(), manifest.name(), manifest.metadata().tenant(),
                    io.orchide.model.message.StatusReport.Audit.REFUSED, e.getMessage());
            throw refusal(manifest, e);
        }
        ApplyResult r = switch (outcome) {
            case Applier.Applied a -> a.result();
            case Applier.Waiting w -> throw new ApiException(409, "refused", manifest.kind() + " " + manifest.name()
                    + " not applied: " + w.message(), w.missing());
        };
        if (r != ApplyResult.UNCHANGED) {
            record(AuditTrail.APPLY, manifest.kind(), manifest.name(), manifest.metadata().tenant(),
                    io.orchide.model.message.StatusReport.Audit.APPLIED, r.wire());
        }
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("kind", manifest.kind()).put("name", manifest.name()).put("result", r.wire());
        Exchange.send(ex, r == ApplyResult.CREATED ? 201 : 200, o);
    }

    private ApiException refusal(Manifest manifest, Exception refused) {
        try {
            throw refused;
        } catch (QuotaExceededException e) {
            return quotaExceeded(e);
        } catch (AdmissionException e) {
            return new ApiException(409, "refused", e.getMessage(), List.of(new FieldError("spec.resources",
                    e.needed().toString(), "does not fit the node's free capacity (" + e.free() + ")")));
        } catch (LaunchException e) {
            return launchError(manifest.name(), e);
        } catch (PipelineRefusedException e) {
            return new ApiException(409, "refused", e.getMessage(), e.errors());
        } catch (DatasetRefusedException e) {
            return new ApiException(409, "refused", e.getMessage(), e.errors());
        } catch (Exception e) {
            return new ApiException(500, "internal", e.getMessage());
        }
    }

    private void list(HttpExchange ex) throws Exception {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (WorkloadView w : reconciler.list()) a.add(Views.workload(w));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void describe(HttpExchange ex, String name) throws Exception {
        WorkloadView w = found(name);
        Exchange.send(ex, 200, Views.detail(w, history.events(name, 50), history.runs(name, 10)));
    }

    private void delete(HttpExchange ex, String name) throws Exception {
        CompletableFuture<Void> f;
        String tenant;
        try {
            tenant = reconciler.get(name).app().metadata().tenant();
            f = reconciler.delete(name);
        } catch (NoSuchWorkloadException e) {
            throw notFound(e);
        }
        record(AuditTrail.DELETE, "App", name, tenant, io.orchide.model.message.StatusReport.Audit.APPLIED, "deleted");
        Exchange.send(ex, awaitDone(f) ? 200 : 202,
                Exchange.JSON.objectNode().put("name", name).put("result", "deleted"));
    }

    private void action(HttpExchange ex, Matcher m) throws Exception {
        String name = m.group(1);
        String verb = m.group(2);
        boolean done = true;
        try {
            switch (verb) {
                case "stop" -> done = awaitDone(reconciler.stop(name));
                case "start" -> {
                    reconciler.start(name);
                    done = awaitDone(settled(name));
                }
                default -> {
                    reconciler.restart(name);
                    done = awaitDone(settled(name));
                }
            }
        } catch (NoSuchWorkloadException e) {
            throw notFound(e);
        } catch (QuotaExceededException e) {
            throw quotaExceeded(e);
        } catch (AdmissionException e) {
            throw new ApiException(409, "refused", e.getMessage());
        }
        ObjectNode o = Views.workload(found(name));
        o.put("result", verb.equals("stop") ? (done ? "stopped" : "stopping") : done ? verb + "ed" : verb + "ing");
        Exchange.send(ex, done ? 200 : 202, o);
    }

    private void logs(HttpExchange ex, String name) throws Exception {
        var q = Exchange.query(ex);
        int tail = Exchange.intParam(q, "tail", 200, 0, 100_000);
        boolean follow = "true".equals(q.get("follow")) || "1".equals(q.get("follow"));
        java.nio.file.Path console;
        CompletableFuture<WorkloadState> ended;
        try {
            console = reconciler.console(name);
            ended = follow ? reconciler.until(name, ATTEMPT_OVER) : null;
        } catch (NoSuchWorkloadException e) {
            throw notFound(e);
        }
        try {
            LogStream.send(ex, console, tail, follow, ended);
        } finally {
            if (ended != null) ended.cancel(false);
        }
    }

    /** Blocks until the workload reaches a state of the {@code for} condition, or the timeout passes (408). */
    private void await(HttpExchange ex, String name) throws Exception {
        var q = Exchange.query(ex);
        int timeout = Exchange.intParam(q, "timeoutSeconds", 60, 1, 3600);
        String cond = q.getOrDefault("for", "ended");
        java.util.Set<WorkloadState> states = WaitCondition.states(cond);
        CompletableFuture<WorkloadState> f;
        try {
            f = reconciler.until(name, states);
        } catch (NoSuchWorkloadException e) {
            throw notFound(e);
        }
        try {
            f.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ApiException(408, "timeout", name + " did not become " + cond + " within " + timeout + " s");
        }
        Exchange.send(ex, 200, Views.workload(found(name)));
    }

    /** Completes once the workload is past stopping and starting: running again, or ended. */
    private CompletableFuture<Void> settled(String name) throws NoSuchWorkloadException {
        java.util.Set<WorkloadState> s = java.util.EnumSet.complementOf(
                java.util.EnumSet.of(WorkloadState.PENDING, WorkloadState.STARTING, WorkloadState.STOPPING));
        return reconciler.until(name, s).thenApply(x -> null);
    }

    private WorkloadView found(String name) {
        try {
            return reconciler.get(name);
        } catch (NoSuchWorkloadException e) {
            throw notFound(e);
        }
    }

    private static boolean awaitDone(CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ApiException(500, "internal", String.valueOf(e.getCause()));
        }
    }

    private static ApiException notFound(NoSuchWorkloadException e) {
        return new ApiException(404, "not_found", e.getMessage(),
                List.of(new FieldError("metadata.name", e.name(), "no such workload")));
    }

    /** A launch failure as an API error: the field and the value are said once, in the field error. */
    static ApiException launchError(String name, LaunchException e) {
        if (e.field() == null) return new ApiException(422, "cannot_launch", "cannot launch " + name + ": " + e.getMessage());
        return new ApiException(422, "cannot_launch", "cannot launch " + name,
                List.of(new FieldError(e.field(), e.value(), e.reason())));
    }
}
