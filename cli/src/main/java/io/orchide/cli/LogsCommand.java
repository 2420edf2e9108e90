package io.orchide.cli;

import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code orchide logs NAME [-f] [--tail N]}: the workload's console (serial console of a unikernel).
 * {@code orchide logs run NAME --step S [--item I] [--tail N]}: the console of one step instance of a run.
 */
@Command(name = "logs", description = "Print the console output of a workload, or of one step of a pipeline run.")
final class LogsCommand implements Runnable {
    @Parameters(arity = "1..2", paramLabel = "[run] NAME", hideParamSyntax = true,
            description = "Workload name; or run NAME (with --step), or workload NAME")
    List<String> target;

    @Option(names = "--step", description = "Runs: the step whose console to print")
    String step;

    @Option(names = "--item", description = "Runs: the item of a forEach step (0, 1, ...)")
    Integer item;

    @Option(names = {"-f", "--follow"}, description = "Workloads: keep printing new output until the running attempt ends (or until interrupted)")
    boolean follow;

    @Option(names = "--tail", description = "Lines from the end to start with (default 200)")
    int tail = 200;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        Kind kind = target.size() == 1 ? Kind.WORKLOAD : Resources.kind("logs", target.get(0), Kind.WORKLOAD, Kind.RUN);
        String name = Resources.name(kind, target.getLast());
        if (tail < 0) throw new CliException("--tail must not be negative (got " + tail + ")");
        String path;
        if (kind == Kind.RUN) {
            if (step == null) throw new CliException("--step is required for the logs of a run (which step's console?)");
            if (item != null && item < 0) throw new CliException("--item must not be negative (got " + item + ")");
            if (follow) throw new CliException("--follow applies to workloads only");
            path = "/api/v1/runs/" + name + "/logs" + ApiClient.query("step", Resources.name(step),
                    "item", item == null ? null : item.toString(), "tail", String.valueOf(tail));
        } else {
            if (step != null || item != null) throw new CliException("--step and --item apply to runs only");
            path = "/api/v1/workloads/" + name + "/logs?tail=" + tail + (follow ? "&follow=true" : "");
        }
        try (InputStream in = server.client().stream(path)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                System.out.write(buf, 0, n);
                System.out.flush();
            }
        } catch (IOException e) {
            throw new CliException("log stream ended: " + e.getMessage());
        }
    }
}
