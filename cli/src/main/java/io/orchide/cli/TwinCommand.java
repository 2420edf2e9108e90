package io.orchide.cli;

import io.orchide.model.ManifestException;
import io.orchide.model.codec.Durations;
import io.orchide.model.codec.Trees;
import io.orchide.twin.run.ManifestApplier;
import io.orchide.twin.run.Summary;
import io.orchide.twin.run.SummaryJson;
import io.orchide.twin.run.SummaryText;
import io.orchide.twin.run.Twin;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.scenario.ScenarioReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code orchide twin -f SCENARIO}: runs a scenario on the digital twin: a ground and one agent per satellite as real
 * processes on one simulated clock, contacts from the orbits, scenes from simulated cameras, faults injected; prints
 * progress and a summary. Exit status 0, or 3 when something was lost.
 */
@Command(name = "twin", description = "Run a scenario on the digital twin (ground, satellites, stations, faults).")
final class TwinCommand implements Runnable {
    static final int LOST = 3;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON)")
    Path file;

    @Option(names = "--speed", paramLabel = "N", description = "Simulated seconds per real second (default: the scenario's)")
    String speed;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the scenes and link losses (default: the scenario's)")
    Long seed;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the ground's and nodes' data and logs go (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep", description = "Keep the work directory afterwards")
    boolean keep;

    @Option(names = "--summary", paramLabel = "FILE", description = "Also write the summary as JSON to FILE")
    Path summaryFile;

    @Option(names = "--status-every", paramLabel = "DURATION", defaultValue = "30m",
            description = "A status line every DURATION of simulated time (default ${DEFAULT-VALUE})")
    String statusEvery;

    @Override
    public void run() {
        Scenario scenario = read(file);
        if (speed != null) scenario = scenario.with(OptionValues.speed("--speed", speed), null);
        if (seed != null) {
            if (seed < 0) throw new CliException("--seed: must be 0 or more (got " + seed + ")");
            scenario = scenario.with(null, seed);
        }
        int status = run(scenario, workDir, keep, summaryFile, status(statusEvery));
        if (status != 0) System.exit(status);
    }

    /** Runs {@code scenario}; returns the exit status (0, or {@link #LOST}). */
    static int run(Scenario scenario, Path workDir, boolean keep, Path summaryFile, Duration statusEvery) {
        Path home = Path.of(System.getProperty("orchide.home", ".")).toAbsolutePath();
        Path work;
        try {
            work = workDir != null ? workDir.toAbsolutePath() : Files.createTempDirectory("orchide-twin-");
        } catch (IOException e) {
            throw new CliException("cannot create a work directory: " + e.getMessage());
        }
        boolean removeAfter = workDir == null && !keep;
        Twin twin = new Twin(scenario, new DistributionLauncher(home),
                ManifestApplier.throughGround(),
                line -> {
                    System.out.println(line);
                    System.out.flush();
                }, new Twin.Options(work, statusEvery));
        Thread stopper = new Thread(() -> stop(twin, work, removeAfter), "twin-stop");
        Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C stops everything the twin started
        Summary summary;
        try {
            summary = twin.run();
        } catch (IOException | RuntimeException e) {
            throw new CliException("the twin stopped: " + (e.getMessage() != null ? e.getMessage() : e.toString()) + " (logs in " + work.resolve("logs")
                    + (removeAfter ? "; run with --keep to keep them" : "") + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        SummaryText.lines(summary).forEach(System.out::println);
        if (summaryFile != null) {
            try {
                Files.writeString(summaryFile, Trees.toJson(SummaryJson.of(summary), true));
            } catch (IOException e) {
                throw new CliException("cannot write " + summaryFile + ": " + e.getMessage());
            }
        }
        if (!removeAfter) System.out.println("   data and logs kept in " + work);
        System.out.flush();
        return summary.lost() == 0 ? 0 : LOST;
    }

    private static void stop(Twin twin, Path work, boolean remove) {
        try {
            twin.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("orchide twin: could not stop everything: " + e.getMessage());
        }
        if (remove) delete(work);
    }

    static Scenario read(Path file) {
        try {
            return ScenarioReader.read(file);
        } catch (ManifestException e) {
            throw new CliException(file + ": scenario rejected, " + e.errors().size() + " error(s), nothing started",
                    e.errors().stream().map(Object::toString).toList());
        }
    }

    static Duration status(String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new CliException("--status-every: expected " + Durations.SYNTAX + " (got " + text + ")");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
