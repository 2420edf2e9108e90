package io.orchide.node.pipeline.workspace;

import io.orchide.model.DataRef;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepOutput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Resolves {@code steps.<s>.outputs.<o>} references to the producing step and output, checking they are ready. */
final class Producers {
    private Producers() {
    }

    /** The producer and output of {@code ref}, once the producer succeeded. */
    static Resolved resolve(Pipeline pipeline, DataRef ref, Set<String> succeeded, String field) {
        Step producer = pipeline.step(ref.step()).orElseThrow(
                () -> new UnresolvedInputException(field, ref, "no step named " + ref.step()));
        StepOutput output = producer.outputs().stream().filter(o -> o.name().equals(ref.output())).findFirst()
                .orElseThrow(() -> new UnresolvedInputException(field, ref,
                        "step " + producer.name() + " declares no output " + ref.output()));
        if (!succeeded.contains(producer.name())) {
            throw new UnresolvedInputException(field, ref, "step " + producer.name() + " has not succeeded yet");
        }
        return new Resolved(producer, output);
    }

    /** The producer step and its output declaration. */
    record Resolved(Step step, StepOutput output) {
        boolean directory() {
            return StepOutputs.isDirectory(output);
        }

        /** The output's path in the out directory of {@code item} (null: not a forEach step), checked present. */
        Path existing(RunWorkspace ws, Integer item, DataRef ref, String field) {
            Path p = StepOutputs.path(ws.outDir(step.name(), item), output);
            boolean present = directory() ? Files.isDirectory(p) : Files.isRegularFile(p);
            if (!present) {
                throw new UnresolvedInputException(field, ref, "output " + (directory() ? "directory" : "file")
                        + " missing: " + p);
            }
            return p;
        }
    }
}
