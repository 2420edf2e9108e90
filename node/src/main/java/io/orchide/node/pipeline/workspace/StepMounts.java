package io.orchide.node.pipeline.workspace;

import io.orchide.model.DataRef;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workspace mounts of one step (instance), to add to its App spec's inputs and outputs.
 *
 * <p>Each input is a directory mounted at {@code /in/<input>} (mount named after the input):
 * <ul>
 *   <li>{@code trigger}: the run's {@code trigger/} directory, holding exactly the triggering file;</li>
 *   <li>{@code item}: {@code in/<input>/} holding exactly this instance's item file;</li>
 *   <li>a directory output ({@code path} ending in {@code /}): that directory in the producer's out directory;</li>
 *   <li>a file output: {@code in/<input>/} holding exactly that file, hard-linked;</li>
 *   <li>an output of a forEach producer: {@code in/<input>/<item>/...}, one directory per instance;</li>
 *   <li>a dataset ({@code datasets.<name>[/<glob>]}): {@code in/<input>/} holding its files whose names match, as
 *   they are when the step starts (hard-linked: a dataset's files are never changed in place, so the step reads a
 *   snapshot while the dataset goes on changing).</li>
 * </ul>
 * The single output mount, named {@code out}, maps the step's out directory at {@code /out}.
 */
public record StepMounts(List<Mount> inputs, List<Mount> outputs) {
    /** Where the guest sees the inputs: {@code /in/<input>}. */
    public static final String IN_MOUNT_PREFIX = "/in/";
    /** Where the guest sees its out directory. */
    public static final String OUT_MOUNT_PATH = "/out";
    /** Name of the output mount. */
    public static final String OUT_MOUNT_NAME = "out";

    public StepMounts {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Prepares the step's directories, stages its inputs and returns its mounts.
     *
     * @param item      the forEach instance index; null exactly when the step has no forEach
     * @param succeeded names of the steps of this run that have succeeded
     * @throws UnresolvedInputException when an input is not ready, naming {@code spec.steps[i].inputs[j].from}
     * @throws IllegalArgumentException when there is no such step or {@code item} does not fit its forEach
     */
    public static StepMounts of(Pipeline pipeline, String stepName, Integer item, RunWorkspace ws,
                                Set<String> succeeded) {
        return of(pipeline, stepName, item, ws, succeeded, DatasetSource.NONE);
    }

    /** As {@link #of(Pipeline, String, Integer, RunWorkspace, Set)}, taking dataset inputs from {@code datasets}. */
    public static StepMounts of(Pipeline pipeline, String stepName, Integer item, RunWorkspace ws,
                                Set<String> succeeded, DatasetSource datasets) {
        int i = stepIndex(pipeline, stepName);
        Step step = pipeline.spec().steps().get(i);
        if ((step.forEach() == null) != (item == null) || (item != null && item < 0)) {
            throw new IllegalArgumentException("step " + stepName + (step.forEach() == null
                    ? " has no forEach, item must be null" : " has a forEach, needs an item index ≥ 0"));
        }
        Path out = ws.prepare(stepName, item);
        List<Mount> inputs = new ArrayList<>();
        for (int j = 0; j < step.inputs().size(); j++) {
            StepInput in = step.inputs().get(j);
            String field = "spec.steps[" + i + "].inputs[" + j + "].from";
            Path host = stage(pipeline, step, item, in, ws, succeeded, field, datasets);
            inputs.add(new Mount(in.name(), host.toString(), IN_MOUNT_PREFIX + in.name(), 0));
        }
        return new StepMounts(inputs, List.of(new Mount(OUT_MOUNT_NAME, out.toString(), OUT_MOUNT_PATH, 0)));
    }

    private static Path stage(Pipeline pipeline, Step step, Integer item, StepInput in, RunWorkspace ws,
                              Set<String> succeeded, String field, DatasetSource datasets) {
        DataRef ref = in.from();
        Path target = ws.inDir(step.name(), item, in.name());
        switch (ref.source()) {
            case DATASET -> {
                Path dir;
                try {
                    dir = datasets.directory(pipeline.metadata().tenant(), pipeline.name(), ref.dataset());
                } catch (IllegalArgumentException e) {
                    throw new UnresolvedInputException(field, ref, e.getMessage());
                }
                java.nio.file.PathMatcher glob = dir.getFileSystem().getPathMatcher("glob:" + ref.glob());
                restage(target);
                for (Path f : RunWorkspace.visibleFiles(dir)) {
                    if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                    if (glob.matches(f.getFileName())) ws.stager().place(f, target.resolve(f.getFileName().toString()));
                }
                return target;
            }
            case TRIGGER -> {
                if (ws.triggerFile().isEmpty()) throw new UnresolvedInputException(field, ref, "run has no trigger file");
                return ws.triggerDir();
            }
            case ITEM -> {
                if (step.forEach() == null) throw new UnresolvedInputException(field, ref, "step has no forEach");
                List<Path> items = ForEachItems.of(pipeline, step.name(), ws, succeeded);
                if (item >= items.size()) {
                    throw new UnresolvedInputException(field, ref, "item " + item + " of " + items.size());
                }
                restage(target);
                ws.stager().place(items.get(item), target.resolve(items.get(item).getFileName().toString()));
                return target;
            }
            default -> {
                Producers.Resolved producer = Producers.resolve(pipeline, ref, succeeded, field);
                if (producer.step().forEach() == null) {
                    Path src = producer.existing(ws, null, ref, field);
                    if (producer.directory()) return src;
                    restage(target);
                    ws.stager().place(src, target.resolve(src.getFileName().toString()));
                    return target;
                }
                restage(target);
                for (int k : ws.items(producer.step().name())) {
                    Path src = producer.existing(ws, k, ref, field);
                    Path dest = target.resolve(Integer.toString(k));
                    if (producer.directory()) ws.stager().placeTree(src, dest);
                    else ws.stager().place(src, dest.resolve(src.getFileName().toString()));
                }
                return target;
            }
        }
    }

    /** Empties a staging directory, so that it holds exactly what is staged now (also after a crash). */
    private static void restage(Path target) {
        FileStager.deleteTree(target);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
    }

    static int stepIndex(Pipeline pipeline, String stepName) {
        List<Step> steps = pipeline.spec().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(stepName)) return i;
        }
        throw new IllegalArgumentException("pipeline " + pipeline.name() + " has no step " + stepName);
    }
}
