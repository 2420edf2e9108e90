package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchide set quota TENANT --quota K=V,...}: change a tenant's quota on ground (platform admins);
 * {@code orchide set tle SATELLITE -f FILE}: set a satellite's TLE, which its passes are computed from (operators);
 * {@code orchide set telemetry-budget SATELLITE 2Mi/d}: the satellite's housekeeping budget (operators);
 * {@code orchide set housekeeping-interval SATELLITE 5m}: the width of its housekeeping intervals (operators).
 */
@Command(name = "set", description = "Change something on ground: set quota TENANT --quota K=V,..., set tle SATELLITE -f FILE",
        subcommands = {SetCommand.Quota.class, SetCommand.Tle.class, SetCommand.TelemetryBudget.class,
                SetCommand.HousekeepingInterval.class})
final class SetCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("set what? set quota TENANT --quota apps=30,images=4Gi (KEY=none removes a limit), "
                + "set tle SATELLITE -f FILE, set telemetry-budget SATELLITE 2Mi/d, set housekeeping-interval SATELLITE 5m");
    }

    @Command(name = "housekeeping-interval", description = "Set the width of a satellite's housekeeping intervals, "
            + "whose min, max, mean and last its nodes send down (operators); its nodes take it at the next pass, "
            + "when their open interval closes. set housekeeping-interval sat-1 5m")
    static final class HousekeepingInterval implements Runnable {
        @Parameters(index = "0", paramLabel = "SATELLITE", description = "The satellite")
        String satellite;

        @Parameters(index = "1", paramLabel = "INTERVAL", description = "Whole seconds from 1s to 1d: 30s, 1m, 5m")
        String interval;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("interval", interval);
            JsonNode r = server.client().put("/api/v1/satellites/" + Resources.name(satellite) + "/housekeeping-interval", body);
            System.out.println("satellite/" + r.path("satellite").asText() + " housekeeping interval set: "
                    + io.orchide.model.codec.Durations.format(java.time.Duration.ofSeconds(r.path("intervalSeconds").asLong()))
                    + " (version " + r.path("version").asInt() + "), sent with the next pass");
        }
    }

    @Command(name = "telemetry-budget", description = "Set the bytes a day a satellite's housekeeping may take on the "
            + "downlink (operators); its nodes take it at the next pass. set telemetry-budget sat-1 2Mi/d")
    static final class TelemetryBudget implements Runnable {
        @Parameters(index = "0", paramLabel = "SATELLITE", description = "The satellite")
        String satellite;

        @Parameters(index = "1", paramLabel = "BUDGET", description = "A size a day: 2Mi/d, 500k/d")
        String budget;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("bytesPerDay", budget);
            JsonNode r = server.client().put("/api/v1/satellites/" + Resources.name(satellite) + "/telemetry-budget", body);
            System.out.println("satellite/" + r.path("satellite").asText() + " telemetry budget set: "
                    + r.path("bytesPerDay").asLong() + " bytes a day (version " + r.path("version").asInt()
                    + "), sent with the next pass");
        }
    }

    @Command(name = "quota", description = "Change a tenant's quota: the limits named are set, KEY=none removes one, "
            + "the others are kept (platform admins). set quota ocean-team --quota apps=30,images=4Gi,cpu=none")
    static final class Quota implements Runnable {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant")
        String tenant;

        @Option(names = "--quota", required = true, paramLabel = "K=V,...",
                description = "Limits to set, as create tenant --quota takes them; KEY=none removes that limit")
        String quota;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("quota", quota);
            JsonNode r = server.client().put("/api/v1/tenants/" + Resources.name(tenant) + "/quota", body);
            String q = r.path("quota").asText("");
            System.out.println("tenant/" + r.path("name").asText() + " quota " + (q.isEmpty() ? "removed (none)" : "set: " + q));
        }
    }

    @Command(name = "tle", description = "Set a satellite's two-line elements, which ground computes its passes from "
            + "(operators). The file holds the two element lines, or three lines with a name first. set tle sat-1 -f sat-1.tle")
    static final class Tle implements Runnable {
        @Parameters(index = "0", paramLabel = "SATELLITE", description = "The satellite")
        String satellite;

        @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The TLE file; - for stdin")
        String file;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        : java.nio.file.Files.readString(java.nio.file.Path.of(file));
            } catch (java.io.IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
            ObjectNode body = ApiClient.JSON.createObjectNode().put("tle", text);
            JsonNode r = server.client().put("/api/v1/satellites/" + Resources.name(satellite) + "/tle", body);
            System.out.println("satellite/" + r.path("satellite").asText() + " TLE set: " + r.path("name").asText()
                    + ", catalogue number " + r.path("line1").asText().substring(2, 7).strip());
        }
    }
}
