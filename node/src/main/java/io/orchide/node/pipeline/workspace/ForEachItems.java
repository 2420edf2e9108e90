package io.orchide.node.pipeline.workspace;

import io.orchide.model.DataRef;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The item files of a forEach step, sorted by name: instance {@code i} gets the {@code i}-th. Items come from the
 * trigger file, a file output (one item) or a directory output (its visible regular files, not recursing).
 */
public final class ForEachItems {
    private ForEachItems() {
    }

    /**
     * @throws UnresolvedInputException when the items are not ready, naming {@code spec.steps[i].forEach.items}
     * @throws IllegalArgumentException when the step has no forEach
     */
    public static List<Path> of(Pipeline pipeline, String stepName, RunWorkspace ws, Set<String> succeeded) {
        int i = StepMounts.stepIndex(pipeline, stepName);
        Step step = pipeline.spec().steps().get(i);
        if (step.forEach() == null) throw new IllegalArgumentException("step " + stepName + " has no forEach");
        DataRef ref = step.forEach().items();
        String field = "spec.steps[" + i + "].forEach.items";
        return switch (ref.source()) {
            case TRIGGER -> List.of(ws.triggerFile().orElseThrow(
                    () -> new UnresolvedInputException(field, ref, "run has no trigger file")));
            case ITEM -> throw new UnresolvedInputException(field, ref, "items cannot come from item");
            case DATASET -> throw new UnresolvedInputException(field, ref, "items cannot come from a dataset");
            case STEP_OUTPUT -> {
                Producers.Resolved producer = Producers.resolve(pipeline, ref, succeeded, field);
                if (producer.step().forEach() != null) {
                    throw new UnresolvedInputException(field, ref, "items from a forEach step are not supported");
                }
                Path src = producer.existing(ws, null, ref, field);
                yield producer.directory() ? RunWorkspace.visibleFiles(src) : List.of(src);
            }
        };
    }
}
