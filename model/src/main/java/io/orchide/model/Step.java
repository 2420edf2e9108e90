package io.orchide.model;

import java.time.Duration;
import java.util.List;

/**
 * One step of a pipeline. It runs the App named {@code app} (same tenant) or the inline {@code template}, exactly
 * one of the two. It starts once every step of {@code after} has ended: without {@code when} only if they all
 * succeeded, with {@code when} whenever the condition holds. {@code forEach} fans it out over files;
 * {@code timeout} (null: none) bounds each attempt, {@code retries} says how often a failed attempt is repeated.
 */
public record Step(String name, String app, AppSpec template, List<String> after, Condition when, ForEach forEach,
                   List<StepInput> inputs, List<StepOutput> outputs, Duration timeout, Retries retries) {
    public Step {
        after = after == null ? List.of() : List.copyOf(after);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        retries = retries == null ? Retries.NONE : retries;
    }

    /** A copy running {@code template} in place of this step's template. */
    public Step withTemplate(AppSpec template) {
        return new Step(name, app, template, after, when, forEach, inputs, outputs, timeout, retries);
    }

    /** The outputs marked as products, for downlink. */
    public List<StepOutput> products() {
        return outputs.stream().filter(o -> o.product() != null).toList();
    }
}
