package io.orchide.cli;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code orchide ground}: the ground control plane, until it is signalled. */
@Command(name = "ground", description = "Run the ground control plane: REST API, fleet, desired state, link to the satellites.")
final class GroundCommand implements Runnable {
    @Option(names = "--data-dir", required = true, description = "Where ground keeps its SQLite database")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "A jdbc:postgresql:// URL to share one PostgreSQL between several ground replicas (default: SQLite in --data-dir)")
    String db;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7000", description = "API address (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--link-listen", defaultValue = "127.0.0.1:7001",
            description = "Address the nodes' links dial (default ${DEFAULT-VALUE})")
    String linkListen;

    @Option(names = "--link-rate", paramLabel = "BITS/S", description = "Uplink transmit rate, e.g. 2M or 512k (default: unlimited)")
    String linkRate;

    @Option(names = "--clock-speed", paramLabel = "N", description = "Simulated time for the digital twin and tests: "
            + "ground's clock runs N times faster (default 1: the real clock)")
    String clockSpeed;

    @Option(names = "--clock-start", paramLabel = "INSTANT",
            description = "Where simulated time starts (ISO-8601; default now), shared with the twin's nodes")
    String clockStart;

    @Option(names = "--clock-origin", paramLabel = "INSTANT",
            description = "The real instant at which simulated time was --clock-start (default: when ground starts), "
                    + "so that a ground restarted mid-scenario rejoins the twin's time")
    String clockOrigin;

    @Override
    public void run() {
        if (db != null && !db.startsWith("jdbc:postgresql:") && !db.startsWith("jdbc:sqlite:")) {
            throw new CliException("--db: expected a jdbc:postgresql:// URL (got " + db + ")");
        }
        long rate = linkRate == null ? 0 : OptionValues.rate("--link-rate", linkRate) / 8;
        GroundConfig cfg = new GroundConfig(dataDir.toAbsolutePath(), db, OptionValues.address("--listen", listen),
                checkListen(linkListen), rate, OptionValues.simulatedClock(
                        clockSpeed == null ? 1 : OptionValues.speed("--clock-speed", clockSpeed),
                        clockStart == null ? null : OptionValues.instant("--clock-start", clockStart),
                        clockOrigin == null ? null : OptionValues.instant("--clock-origin", clockOrigin)));
        GroundServer g;
        try {
            g = GroundServer.start(cfg);
        } catch (Exception e) {
            throw new CliException("ground failed to start: " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "ground-shutdown"));
        System.out.println("orchide ground " + GroundServer.VERSION + " API " + OptionValues.listening(g.apiAddress()) + " link " + g.linkAddress() + " (store "
                + (db == null ? cfg.dataDir().resolve("ground.db") : "PostgreSQL") + ")");
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String checkListen(String v) {
        OptionValues.address("--link-listen", v);
        return v;
    }
}
