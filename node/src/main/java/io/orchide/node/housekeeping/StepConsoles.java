package io.orchide.node.housekeeping;

import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.runtime.supervise.ConsoleRing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consoles ground may ask for by name: a workload's, else a pipeline step's, named as ground names the things of
 * a run ({@code RUN-STEP}, {@code RUN-STEP-ITEM} for a forEach instance, {@code RUN} being {@code PIPELINE-NNNNNN}).
 * Pipeline and step names may hold dashes and digits: of the readings of a name, the first whose console exists is
 * taken, a step without an item before one with.
 */
public final class StepConsoles implements ConsoleSummaries.Consoles {
    private static final Pattern RUN_NUMBER = Pattern.compile("-\\d{6}-");
    private static final Pattern ITEM = Pattern.compile("(.+)-(\\d{1,9})");

    private final ConsoleSummaries.Consoles workloads;
    private final StepLogSummaries.Consoles steps;

    public StepConsoles(ConsoleSummaries.Consoles workloads, StepLogSummaries.Consoles steps) {
        this.workloads = workloads;
        this.steps = steps;
    }

    @Override
    public Path console(String name) throws NoSuchWorkloadException {
        try {
            return workloads.console(name);
        } catch (NoSuchWorkloadException e) {
            Matcher m = RUN_NUMBER.matcher(name);
            for (int from = 0; m.find(from); from = m.start() + 1) {
                String run = name.substring(0, m.end() - 1), rest = name.substring(m.end());
                if (rest.isEmpty()) continue;
                Path p = steps.console(run, rest, null);
                if (exists(p)) return p;
                Matcher item = ITEM.matcher(rest);
                if (item.matches()) {
                    p = steps.console(run, item.group(1), Integer.valueOf(item.group(2)));
                    if (exists(p)) return p;
                }
            }
            throw e;
        }
    }

    private static boolean exists(Path console) {
        return Files.exists(console) || Files.exists(ConsoleRing.previous(console));
    }
}
