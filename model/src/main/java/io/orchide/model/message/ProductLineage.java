package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a product comes from, carried in its {@link ProductPayload} header: the pipeline, run, step (and fan-out
 * item) and output that wrote it, the image that ran (by content when it was one), and each staged input with the
 * digests of its files ({@code inputs}: name to description).
 */
public record ProductLineage(String pipeline, String run, String step, Integer item, String output, String image,
                             Map<String, String> inputs) {
    public ProductLineage {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(output, "output");
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }

    public String encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("pipeline", pipeline);
        o.put("run", run);
        o.put("step", step);
        if (item != null) o.put("item", item);
        o.put("output", output);
        Messages.putText(o, "image", image);
        ObjectNode in = o.putObject("inputs");
        new TreeMap<>(inputs).forEach(in::put);
        return new String(Messages.bytes(o), StandardCharsets.UTF_8);
    }

    public static ProductLineage decode(String json) throws MessageException {
        return Messages.read("lineage", (json == null ? "" : json).getBytes(StandardCharsets.UTF_8), c -> {
            c.allowOnly("pipeline", "run", "step", "item", "output", "image", "inputs");
            Cursor inputs = c.field("inputs");
            Map<String, String> in = inputs.present() ? inputs.stringMap(k -> null) : Map.of();
            return new ProductLineage(or(c.field("pipeline").requiredString()), or(c.field("run").requiredString()),
                    or(c.field("step").requiredString()), c.field("item").integer(0, Integer.MAX_VALUE),
                    or(c.field("output").requiredString()), c.field("image").nonEmptyString(), in);
        });
    }

    /** A stand-in for a missing required field: the error is reported already, and the value is not used. */
    private static String or(String s) {
        return s == null ? "" : s;
    }
}
