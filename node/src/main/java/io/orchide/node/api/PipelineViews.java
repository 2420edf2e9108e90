package io.orchide.node.api;

import io.orchide.web.Exchange;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Manifests;
import io.orchide.model.Mount;
import io.orchide.model.Trigger;
import io.orchide.model.codec.Trees;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.pipeline.run.ProductRecord;
import io.orchide.node.pipeline.run.RunState;
import io.orchide.node.pipeline.run.StepApps;
import io.orchide.node.pipeline.run.StepAttempt;
import io.orchide.node.pipeline.run.StoredPipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of pipelines, runs and products in the local API (the CLI reads exactly these). */
final class PipelineViews {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PipelineViews() {
    }

    static ObjectNode pipeline(StoredPipeline sp, Map<RunState, Integer> counts, String lastRun) {
        ObjectNode o = Exchange.JSON.objectNode();
        var spec = sp.pipeline().spec();
        o.put("name", sp.name());
        o.put("tenant", sp.pipeline().metadata().tenant());
        o.put("priority", spec.priority());
        if (spec.deadline() == null) o.putNull("deadline");
        else o.put("deadline", spec.deadline().toString());
        o.put("preemptible", spec.preemptible());
        o.put("concurrency", spec.concurrency());
        ArrayNode t = o.putArray("triggers");
        for (Trigger tr : spec.triggers()) t.add(trigger(tr));
        if (spec.triggers().isEmpty()) t.add("manual");
        ArrayNode s = o.putArray("steps");
        spec.steps().forEach(st -> s.add(st.name()));
        ObjectNode runs = o.putObject("runs");
        counts.forEach((k, v) -> runs.put(k.wire(), v));
        if (lastRun == null) o.putNull("lastRun");
        else o.put("lastRun", lastRun);
        o.put("createdAt", sp.createdAt().toString());
        o.put("updatedAt", sp.updatedAt().toString());
        return o;
    }

    static ObjectNode pipelineDetail(StoredPipeline sp, Map<RunState, Integer> counts, String lastRun) {
        ObjectNode o = pipeline(sp, counts, lastRun);
        try (JsonParser p = FACTORY.createParser(Manifests.toJson(sp.pipeline()))) {
            p.nextToken();
            o.set("manifest", Trees.read(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return o;
    }

    static String trigger(Trigger t) {
        return switch (t) {
            case Trigger.OnData d -> "onData " + (d.dataset() != null ? d.dataset() : d.path()) + " " + d.glob();
            case Trigger.Schedule s -> "schedule " + Pipelines.describe(s);
            case Trigger.OnEvent e -> "onEvent " + (e.name() != null ? e.name() : e.pipeline() + " " + e.result());
            case Trigger.Manual m -> "manual";
        };
    }

    static ObjectNode run(PipelineRun r, Integer effectivePriority, List<String> steps) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("name", r.name());
        o.put("id", r.id());
        o.put("pipeline", r.pipeline());
        o.put("priority", r.priority());
        if (effectivePriority == null) o.putNull("effectivePriority");
        else o.put("effectivePriority", effectivePriority);
        o.put("state", r.state().wire());
        putText(o, "reason", r.reason());
        ObjectNode t = o.putObject("trigger");
        t.put("kind", r.origin().kind().wire());
        putText(t, "detail", r.origin().detail());
        ArrayNode s = o.putArray("steps");
        steps.forEach(s::add);
        putTime(o, "deadline", r.deadline());
        putTime(o, "createdAt", r.createdAt());
        putTime(o, "startedAt", r.startedAt());
        putTime(o, "endedAt", r.endedAt());
        return o;
    }

    /** One attempt of a step instance with the mounts it ran with (none for a step that concluded unrun). */
    record StepRun(StepAttempt attempt, List<Mount> inputs, List<Mount> outputs, String image) {
    }

    static ObjectNode runDetail(PipelineRun r, Integer effectivePriority, List<String> steps, Path workspace,
                                List<StepRun> stepRuns, List<ProductRecord> products) {
        ObjectNode o = run(r, effectivePriority, steps);
        o.put("workspace", workspace.toString());
        ArrayNode a = o.putArray("stepRuns");
        for (StepRun sr : stepRuns) {
            StepAttempt at = sr.attempt();
            ObjectNode n = a.addObject();
            n.put("step", at.step());
            if (at.item() == null) n.putNull("item");
            else n.put("item", at.item());
            n.put("instance", StepApps.instanceName(r.name(), at.step(), at.item()));
            n.put("state", at.state().wire());
            n.put("attempt", at.attempt());
            if (at.exitCode() == null) n.putNull("exitCode");
            else n.put("exitCode", at.exitCode());
            putText(n, "message", at.message());
            if (at.monitorPid() == null) n.putNull("monitorPid");
            else n.put("monitorPid", at.monitorPid());
            putTime(n, "startedAt", at.startedAt());
            putTime(n, "endedAt", at.endedAt());
            ObjectNode in = n.putObject("inputs");
            sr.inputs().forEach(m -> in.put(m.name(), m.path()));
            ObjectNode out = n.putObject("outputs");
            sr.outputs().forEach(m -> out.put(m.name(), m.path()));
        }
        ArrayNode p = o.putArray("products");
        for (ProductRecord x : products) {
            ObjectNode n = product(x, true);
            // a directory image has no digest: the path it ran from says which one it was
            if (x.image() == null) {
                stepRuns.stream().filter(sr -> sr.attempt().step().equals(x.step())
                                && java.util.Objects.equals(sr.attempt().item(), x.item()) && sr.image() != null)
                        .reduce((first, last) -> last).ifPresent(sr -> n.put("imagePath", sr.image()));
            }
            p.add(n);
        }
        return o;
    }

    static ObjectNode product(ProductRecord p) {
        return product(p, false);
    }

    /** A product; with {@code digests}, each file of a directory product with its SHA-256 (read now). */
    static ObjectNode product(ProductRecord p, boolean digests) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("id", p.id());
        o.put("run", p.runName());
        o.put("pipeline", p.pipeline());
        o.put("step", p.step());
        if (p.item() == null) o.putNull("item");
        else o.put("item", p.item());
        o.put("output", p.output());
        o.put("path", p.path().toString());
        o.put("sizeBytes", p.sizeBytes());
        putText(o, "sha256", p.sha256());
        o.set("files", ProductFiles.of(p.path(), p.sha256(), digests));
        o.put("priority", p.priority());
        o.put("retention", p.retention().toString());
        putTime(o, "expiresAt", p.expiresAt());
        putTime(o, "createdAt", p.createdAt());
        putText(o, "image", p.image());
        ObjectNode in = o.putObject("inputs");
        p.inputs().forEach(in::put);
        o.put("state", p.state());
        return o;
    }

    private static void putText(ObjectNode o, String k, String v) {
        if (v == null) o.putNull(k);
        else o.put(k, v);
    }

    private static void putTime(ObjectNode o, String k, Instant t) {
        if (t == null) o.putNull(k);
        else o.put(k, t.toString());
    }
}
