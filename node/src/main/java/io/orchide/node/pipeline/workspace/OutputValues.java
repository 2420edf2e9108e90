package io.orchide.node.pipeline.workspace;

import io.orchide.model.Condition;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The values a {@code when} condition reads in a run's workspace: {@code steps.X.outputs.Y} is the trimmed text of
 * the output file (first {@link #MAX_BYTES} bytes, UTF-8); {@code steps.X.exitCode} comes from the caller.
 * Absent (null): an unknown step or output, a directory output, a file not written, an output of a forEach step
 * (several instances, no single value), an exit code the caller does not know.
 */
public final class OutputValues implements Condition.Values {
    /** How much of an output file is read. */
    public static final int MAX_BYTES = 4096;

    private final Pipeline pipeline;
    private final RunWorkspace ws;
    private final Map<String, Integer> exitCodes;

    public OutputValues(Pipeline pipeline, RunWorkspace ws, Map<String, Integer> exitCodes) {
        this.pipeline = pipeline;
        this.ws = ws;
        this.exitCodes = Map.copyOf(exitCodes);
    }

    @Override public Integer exitCode(String step) {
        return exitCodes.get(step);
    }

    @Override public String output(String step, String output) {
        Optional<Step> s = pipeline.step(step);
        if (s.isEmpty() || s.get().forEach() != null) return null;
        Optional<StepOutput> o = s.get().outputs().stream().filter(x -> x.name().equals(output)).findFirst();
        if (o.isEmpty() || StepOutputs.isDirectory(o.get())) return null;
        Path file = StepOutputs.path(ws.outDir(step, null), o.get());
        if (!Files.isRegularFile(file)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read output " + output + " of step " + step, e);
        }
    }
}
