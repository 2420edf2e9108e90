package io.orchide.node.api;

import io.orchide.model.DataRef;
import io.orchide.model.FieldError;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a manual run must be given: the trigger's file, when a step reads it (an input {@code from: trigger}, or a
 * {@code forEach} over it). A run started without one could only fail at its first such step, after its retries.
 */
final class TriggerInputs {
    private TriggerInputs() {
    }

    /** The error of a manual run of {@code p} given {@code inputs}; empty when the run can start. */
    static List<FieldError> missing(Pipeline p, Map<String, String> inputs) {
        if (!inputs.isEmpty()) return List.of(); // which file and under which name is the pipeline's own check
        Map<String, Set<String>> readers = readers(p); // input name -> the steps that read the trigger under it
        if (readers.isEmpty()) return List.of();
        // a run has one trigger file, whatever name it is given under: one error naming every reader
        String first = readers.keySet().iterator().next();
        List<String> who = new ArrayList<>();
        readers.forEach((input, steps) -> who.add(String.join(", ", steps) + " as " + input));
        return List.of(new FieldError(readers.size() == 1 ? "inputs." + first : "inputs", null,
                "is required: the run's trigger file is read by step(s) " + String.join("; ", who)
                        + "; give it with --input " + first + "=FILE"));
    }

    private static Map<String, Set<String>> readers(Pipeline p) {
        Map<String, Set<String>> readers = new LinkedHashMap<>();
        for (Step s : p.spec().steps()) {
            for (StepInput in : s.inputs()) {
                if (in.from().source() == DataRef.Source.TRIGGER) {
                    readers.computeIfAbsent(in.name(), k -> new LinkedHashSet<>()).add(s.name());
                }
            }
            if (s.forEach() != null && s.forEach().items().source() == DataRef.Source.TRIGGER) {
                readers.computeIfAbsent("trigger", k -> new LinkedHashSet<>()).add(s.name());
            }
        }
        return readers;
    }
}
