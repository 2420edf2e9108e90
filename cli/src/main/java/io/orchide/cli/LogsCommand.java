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
 * {@code orchide logs NAME --satellite S --full}: the workload's (or, with {@code run RUN --step STEP}, the step's) whole log through ground, requested from the satellite
 * and shown once a pass brought it down.
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

    @Option(names = "--full", description = "Through ground (--satellite): ask for the workload's (or the run's step's) whole log, which comes "
            + "down at the satellite's next pass; again later to see it")
    boolean full;

    @Mixin
    ServerOption server;

    @Mixin
    SatelliteOption satellite;

    @Override
    public void run() {
        if (full || satellite.present()) {
            fullLog();
            return;
        }
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

    /**
     * The name ground knows the log by: the workload's, or for a step of a run {@code RUN-STEP} ({@code RUN-STEP-ITEM}
     * for a forEach instance), as ground names the things of a run.
     */
    private String fullLogName() {
        Kind kind = target.size() == 1 ? Kind.WORKLOAD : Resources.kind("logs", target.get(0), Kind.WORKLOAD, Kind.RUN);
        String name = Resources.name(kind, target.getLast());
        if (kind != Kind.RUN) {
            if (step != null || item != null) throw new CliException("--step and --item apply to runs only");
            return name;
        }
        if (step == null) throw new CliException("--step is required for the whole log of a run's step (which step?)");
        if (item != null && item < 0) throw new CliException("--item must not be negative (got " + item + ")");
        return name + "-" + Resources.name(step) + (item == null ? "" : "-" + item);
    }

    /**
     * {@code logs NAME --satellite S --full} (or {@code logs run RUN --step STEP [--item N] --satellite S --full}): shows the whole log ground has of the workload, or asks the satellite
     * for it and says which pass brings it down.
     */
    private void fullLog() {
        if (!full) throw new CliException("logs through ground (--satellite) show the whole log only: add --full");
        satellite.defaultFrom(server);
        if (!satellite.present()) throw new CliException("--full asks ground: name the satellite with --satellite");
        if (follow) throw new CliException("--full takes no --follow");
        String name = fullLogName();
        String label = step == null ? "workload/" + name
                : "run/" + Resources.runName(target.getLast()) + "/" + step + (item == null ? "" : "." + item);
        String path = satellite.base() + "/logs/" + name + "/full";
        com.fasterxml.jackson.databind.JsonNode r;
        try {
            r = server.client().get(path);
        } catch (CliException e) {
            if (!e.getMessage().endsWith("[not_found]")) throw e;
            r = null;
        }
        if (r != null && r.path("state").asText().equals("arrived")) {
            if (r.hasNonNull("problem")) {
                System.out.println(label + ": the node had no log: " + r.path("problem").asText());
            } else {
                System.out.print(r.path("log").asText());
                if (!r.path("log").asText().endsWith("\n")) System.out.println();
            }
            return;
        }
        boolean asked = r == null;
        if (asked) r = server.client().post(path, "{}");
        com.fasterxml.jackson.databind.JsonNode pass = r.path("nextPass");
        String when = pass.isObject()
                ? "it comes down at the next pass: " + pass.path("station").asText() + " " + pass.path("aos").asText()
                  + (pass.path("startsInSeconds").asLong() <= 0 ? " (now)"
                  : " (in " + Table.age(java.time.Instant.EPOCH.toString(), java.time.Instant.EPOCH.plusSeconds(pass.path("startsInSeconds").asLong())) + ")")
                : "it comes down at the satellite's next contact (ground knows no pass: no TLE or station)";
        System.out.println(label + ": whole log " + (asked ? "requested" : "requested at " + r.path("requestedAt").asText())
                + " from " + r.path("satellite").asText() + "; " + when + ". Run this again to see it.");
    }
}
