package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code orchide demo}: the default twin scenario ({@code examples/scenarios/two-sats.yaml}): a ground, two satellites
 * as real agents, two ground stations, two tenants' pipelines applied through ground, an AI model an operator allows
 * on one satellite and a unikernel step that has the broker run it, scenes captured over the targets, a power loss, a
 * link outage, a corrupt scene, a full disk and a tampered image; live progress, then the summary. Ctrl-C stops it all.
 */
@Command(name = "demo", description = "Run the demo: the default digital-twin scenario (two satellites, two stations, faults).")
final class DemoCommand implements Runnable {
    static final String SCENARIO = "examples/scenarios/two-sats.yaml";

    @Option(names = "--speed", paramLabel = "N", description = "Simulated seconds per real second (default: the scenario's)")
    String speed;

    @Option(names = "--keep", description = "Keep the ground's and satellites' data and logs afterwards")
    boolean keep;

    @Override
    public void run() {
        Path home = Path.of(System.getProperty("orchide.home", ".")).toAbsolutePath();
        var scenario = TwinCommand.read(home.resolve(SCENARIO));
        if (speed != null) scenario = scenario.with(OptionValues.speed("--speed", speed), null);
        int status = TwinCommand.run(scenario, null, keep, null, TwinCommand.status("30m"));
        if (status != 0) System.exit(status);
    }
}
