package io.orchide.node.api;

import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.App;
import io.orchide.model.FieldError;
import io.orchide.node.pipeline.run.NoSuchRunException;
import io.orchide.node.pipeline.run.PipelineRefusedException;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.pipeline.run.RunEngine;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.node.pipeline.run.StepMonitors;
import io.orchide.node.pipeline.run.StepResult;
import io.orchide.node.pipeline.run.StoredPipeline;
import io.orchide.model.Names;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The pipeline resources of the local API: pipelines, runs, events and the products outbox. */
public final class PipelineApi {
    private static final String NAME = "([a-z0-9][-a-z0-9]*)";

    private final Pipelines pipelines;
    private final RunEngine engine;
    private final PipelineStore store;
    private final io.orchide.node.audit.AuditTrail audit;

    public PipelineApi(Pipelines pipelines, RunEngine engine, PipelineStore store) {
        this(pipelines, engine, store, null);
    }

    /** Recording each pipeline deleted in {@code audit} (null: nowhere). */
    public PipelineApi(Pipelines pipelines, RunEngine engine, PipelineStore store, io.orchide.node.audit.AuditTrail audit) {
        this.audit = audit;
        this.pipelines = pipelines;
        this.engine = engine;
        this.store = store;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/pipelines", (ex, m) -> listPipelines(ex))
                .route("GET", "/api/v1/pipelines/" + NAME, (ex, m) -> describePipeline(ex, m.group(1)))
                .route("DELETE", "/api/v1/pipelines/" + NAME, (ex, m) -> deletePipeline(ex, m.group(1)))
                .route("POST", "/api/v1/pipelines/" + NAME + "/runs", (ex, m) -> runManually(ex, m.group(1)))
                .route("GET", "/api/v1/runs", (ex, m) -> listRuns(ex))
                .route("GET", "/api/v1/runs/" + NAME, (ex, m) -> describeRun(ex, m.group(1)))
                .route("POST", "/api/v1/runs/" + NAME + "/cancel", (ex, m) -> cancel(ex, m.group(1)))
                .route("GET", "/api/v1/runs/" + NAME + "/wait", (ex, m) -> await(ex, m.group(1)))
                .route("GET", "/api/v1/runs/" + NAME + "/logs", (ex, m) -> logs(ex, m.group(1)))
                .route("POST", "/api/v1/events", (ex, m) -> event(ex))
                .route("GET", "/api/v1/products", (ex, m) -> products(ex));
    }

    private void listPipelines(HttpExchange ex) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (StoredPipeline sp : pipelines.list()) a.add(pipelineView(sp, false));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void describePipeline(HttpExchange ex, String name) throws IOException {
        Exchange.send(ex, 200, pipelineView(pipeline(name), true));
    }

    private ObjectNode pipelineView(StoredPipeline sp, boolean detail) {
        var counts = store.runCounts(sp.name());
        String last = store.runs(sp.name(), null, 1).stream().findFirst().map(PipelineRun::name).orElse(null);
        return detail ? PipelineViews.pipelineDetail(sp, counts, last) : PipelineViews.pipeline(sp, counts, last);
    }

    private void deletePipeline(HttpExchange ex, String name) throws IOException {
        List<PipelineRun> cancelled;
        String tenant;
        try {
            tenant = pipelines.get(name).pipeline().metadata().tenant();
            cancelled = pipelines.delete(name);
        } catch (NoSuchRunException e) {
            throw notFound(e);
        }
        if (audit != null) {
            audit.record(new io.orchide.node.audit.AuditTrail.Change(io.orchide.node.audit.AuditTrail.LOCAL,
                    io.orchide.node.audit.AuditTrail.DELETE, "Pipeline", name, tenant, null,
                    io.orchide.model.message.StatusReport.Audit.APPLIED, "deleted"));
        }
        ObjectNode o = Exchange.JSON.objectNode().put("name", name).put("result", "deleted");
        ArrayNode a = o.putArray("cancelled");
        cancelled.forEach(r -> a.add(r.name()));
        Exchange.send(ex, 200, o);
    }

    private void runManually(HttpExchange ex, String name) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        Map<String, String> inputs = new LinkedHashMap<>();
        JsonNode in = body.path("inputs");
        if (!in.isMissingNode() && !in.isNull()) {
            if (!in.isObject()) throw invalid("inputs", in.toString(), "must be an object of name to file path");
            for (var it = in.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw invalid("inputs." + e.getKey(), e.getValue().toString(), "must be a file path");
                }
                inputs.put(e.getKey(), e.getValue().asText());
            }
        }
        List<FieldError> missing = TriggerInputs.missing(pipeline(name).pipeline(), inputs);
        if (!missing.isEmpty()) {
            throw new ApiException(422, "invalid", "run of " + name + " refused: it needs the trigger's file", missing);
        }
        PipelineRun run;
        try {
            run = pipelines.runManually(name, inputs);
        } catch (NoSuchRunException e) {
            throw notFound(e);
        } catch (PipelineRefusedException e) {
            throw new ApiException(422, "invalid", e.getMessage(), e.errors());
        }
        Exchange.send(ex, 201, runView(run));
    }

    private void listRuns(HttpExchange ex) throws IOException {
        var q = Exchange.query(ex);
        int limit = Exchange.intParam(q, "limit", 100, 1, 100_000);
        RunState state = null;
        if (q.get("state") != null && !q.get("state").isEmpty()) {
            try {
                state = RunState.fromWire(q.get("state"));
            } catch (IllegalArgumentException e) {
                throw invalid("state", q.get("state"), e.getMessage());
            }
        }
        String pipeline = q.get("pipeline") == null || q.get("pipeline").isEmpty() ? null : q.get("pipeline");
        ArrayNode a = Exchange.JSON.arrayNode();
        for (PipelineRun r : store.runs(pipeline, state, limit)) a.add(runView(r));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void describeRun(HttpExchange ex, String name) throws IOException {
        PipelineRun r = run(name);
        List<String> running = steps(r); // first: a step running now has its attempt stored already
        List<StepAttempt> attempts = store.attempts(r.id());
        List<PipelineViews.StepRun> stepRuns = new ArrayList<>();
        for (StepAttempt a : attempts) {
            App app = StepMonitors.readApp(a.runDir());
            stepRuns.add(new PipelineViews.StepRun(a, app == null ? List.of() : app.spec().inputs(),
                    app == null ? List.of() : app.spec().outputs(), app == null ? null : app.spec().image()));
        }
        for (StepResult sr : store.results(r.id()).values()) { // steps that concluded without running
            if (attempts.stream().anyMatch(x -> x.step().equals(sr.step()))) continue;
            stepRuns.add(new PipelineViews.StepRun(new StepAttempt(r.id(), sr.step(), null, 0, sr.state(), null, null,
                    sr.message(), null, sr.at(), sr.at()), List.of(), List.of(), null));
        }
        Exchange.send(ex, 200, PipelineViews.runDetail(r, effective(r), running,
                engine.workspaces().resolve(r.name()), stepRuns, store.products(r.id())));
    }

    private void cancel(HttpExchange ex, String name) throws Exception {
        PipelineRun r = run(name);
        try {
            r = engine.cancel(r.id());
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage(),
                    List.of(new FieldError("run", name, "already " + r.state())));
        }
        CompletableFuture<PipelineRun> f = engine.awaitEnd(r.id());
        try {
            r = f.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
        }
        Exchange.send(ex, r.state().ended() ? 200 : 202, runView(r));
    }

    private void await(HttpExchange ex, String name) throws Exception {
        var q = Exchange.query(ex);
        int timeout = Exchange.intParam(q, "timeoutSeconds", 60, 1, 3600);
        PipelineRun r = run(name);
        CompletableFuture<PipelineRun> f = engine.awaitEnd(r.id());
        try {
            r = f.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new ApiException(408, "timeout", name + " did not end within " + timeout + " s");
        }
        Exchange.send(ex, 200, runView(r));
    }

    private void logs(HttpExchange ex, String name) throws Exception {
        var q = Exchange.query(ex);
        PipelineRun r = run(name);
        String step = q.get("step");
        var pipeline = store.version(r.versionId());
        if (step == null || step.isEmpty() || pipeline.step(step).isEmpty()) {
            throw invalid("step", step, "must name a step of pipeline " + r.pipeline() + ": "
                    + pipeline.spec().steps().stream().map(s -> s.name()).toList());
        }
        Integer item = null;
        if (q.get("item") != null && !q.get("item").isEmpty()) item = Exchange.intParam(q, "item", 0, 0, 1 << 20);
        int tail = Exchange.intParam(q, "tail", 200, 0, 100_000);
        LogStream.send(ex, engine.console(r.name(), step, item), tail, false, null);
    }

    private void event(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode n = body.path("name");
        if (!n.isTextual() || Names.dnsLabelProblem(n.asText()) != null) {
            throw invalid("name", n.isMissingNode() ? null : n.toString(), "must be an event name (a DNS-1123 label)");
        }
        List<PipelineRun> runs = pipelines.event(n.asText());
        ObjectNode o = Exchange.JSON.objectNode().put("event", n.asText());
        ArrayNode a = o.putArray("runs");
        runs.forEach(r -> a.add(r.name()));
        Exchange.send(ex, 200, o);
    }

    private void products(HttpExchange ex) throws IOException {
        var q = Exchange.query(ex);
        Long runId = null;
        if (q.get("run") != null && !q.get("run").isEmpty()) runId = run(q.get("run")).id();
        ArrayNode a = Exchange.JSON.arrayNode();
        store.products(runId).forEach(p -> a.add(PipelineViews.product(p)));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private ObjectNode runView(PipelineRun r) {
        return PipelineViews.run(r, effective(r), steps(r));
    }

    private Integer effective(PipelineRun r) {
        return r.state() == RunState.QUEUED ? engine.effectivePriority(r.id()) : null;
    }

    private List<String> steps(PipelineRun r) {
        return r.state() == RunState.RUNNING ? engine.runningSteps(r.id()) : List.of();
    }

    private StoredPipeline pipeline(String name) {
        try {
            return pipelines.get(name);
        } catch (NoSuchRunException e) {
            throw notFound(e);
        }
    }

    private PipelineRun run(String name) {
        long id = PipelineRun.idOf(name);
        PipelineRun r = id < 0 ? null : store.run(id).orElse(null);
        if (r == null || !r.name().equals(name)) {
            throw new ApiException(404, "not_found", "no run named " + name + " on this node",
                    List.of(new FieldError("run", name, "no such run")));
        }
        return r;
    }

    private static ApiException invalid(String field, String value, String message) {
        return new ApiException(400, "invalid", "invalid request", List.of(new FieldError(field, value, message)));
    }

    private static ApiException notFound(NoSuchRunException e) {
        return new ApiException(404, "not_found", e.getMessage(), List.of(new FieldError(e.kind(), e.name(),
                "no such " + e.kind())));
    }

}
