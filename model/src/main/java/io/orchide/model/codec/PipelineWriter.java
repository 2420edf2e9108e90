package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Pipeline;
import io.orchide.model.PipelineSpec;
import io.orchide.model.Step;
import io.orchide.model.StepInput;
import io.orchide.model.StepOutput;
import io.orchide.model.Trigger;

/**
 * Writes a Pipeline in the manifest wire shape, fields in a fixed order, every resolved default written out
 * (tenant, priority, preemptible, concurrency, retries, product priority and retention, forEach parallelism, and
 * in templates what {@link AppWriter} writes). {@code when} is written in its canonical text.
 */
public final class PipelineWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PipelineWriter() {
    }

    public static String toJson(Pipeline p) {
        return Trees.toJson(tree(p), false);
    }

    public static String toYaml(Pipeline p) {
        return Trees.toYaml(tree(p));
    }

    /** The wire tree of {@code p}. */
    public static ObjectNode tree(Pipeline p) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", Pipeline.API_VERSION);
        root.put("kind", Pipeline.KIND);
        root.set("metadata", AppWriter.metadata(p.metadata()));
        root.set("spec", spec(p.spec()));
        return root;
    }

    private static ObjectNode spec(PipelineSpec s) {
        ObjectNode n = F.objectNode();
        n.put("priority", s.priority());
        if (s.deadline() != null) n.put("deadline", Durations.format(s.deadline()));
        n.put("preemptible", s.preemptible());
        n.put("concurrency", s.concurrency());
        if (!s.triggers().isEmpty()) {
            ArrayNode triggers = n.putArray("triggers");
            s.triggers().forEach(t -> triggers.add(trigger(t)));
        }
        ArrayNode steps = n.putArray("steps");
        s.steps().forEach(st -> steps.add(step(st)));
        return n;
    }

    private static ObjectNode trigger(Trigger t) {
        ObjectNode n = F.objectNode();
        switch (t) {
            case Trigger.OnData d -> {
                ObjectNode b = n.putObject("onData");
                if (d.dataset() != null) b.put("dataset", d.dataset());
                if (d.path() != null) b.put("path", d.path());
                b.put("glob", d.glob());
            }
            case Trigger.Schedule s -> {
                ObjectNode b = n.putObject("schedule");
                if (s.cron() != null) b.put("cron", s.cron().expression());
                if (s.every() != null) b.put("every", Durations.format(s.every()));
                if (s.at() != null) b.put("at", s.at().toString());
            }
            case Trigger.OnEvent e -> {
                ObjectNode b = n.putObject("onEvent");
                if (e.pipeline() != null) b.put("pipeline", e.pipeline());
                if (e.result() != null) b.put("result", e.result().wire());
                if (e.name() != null) b.put("name", e.name());
            }
            case Trigger.Manual m -> n.putObject("manual");
        }
        return n;
    }

    private static ObjectNode step(Step s) {
        ObjectNode n = F.objectNode();
        n.put("name", s.name());
        if (s.app() != null) n.put("app", s.app());
        if (s.template() != null) n.set("template", AppWriter.spec(s.template()));
        if (!s.after().isEmpty()) {
            ArrayNode after = n.putArray("after");
            s.after().forEach(after::add);
        }
        if (s.when() != null) n.put("when", s.when().text());
        if (s.forEach() != null) {
            ObjectNode f = n.putObject("forEach");
            f.put("items", s.forEach().items().toString());
            f.put("parallelism", s.forEach().parallelism());
        }
        if (!s.inputs().isEmpty()) {
            ArrayNode inputs = n.putArray("inputs");
            for (StepInput in : s.inputs()) inputs.addObject().put("name", in.name()).put("from", in.from().toString());
        }
        if (!s.outputs().isEmpty()) {
            ArrayNode outputs = n.putArray("outputs");
            for (StepOutput o : s.outputs()) {
                ObjectNode out = outputs.addObject().put("name", o.name()).put("path", o.path());
                if (o.product() != null) {
                    out.putObject("product").put("priority", o.product().priority())
                            .put("retention", Durations.format(o.product().retention()));
                }
                if (o.dataset() != null) out.put("dataset", o.dataset());
            }
        }
        if (s.timeout() != null) n.put("timeout", Durations.format(s.timeout()));
        n.putObject("retries").put("limit", s.retries().limit())
                .put("backoff", Durations.format(s.retries().backoff()));
        return n;
    }
}
