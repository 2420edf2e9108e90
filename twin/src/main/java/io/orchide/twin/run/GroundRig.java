package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.twin.process.Launcher;
import io.orchide.twin.process.ServiceProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;

/** The twin's ground: a real {@code orchide ground} process on its embedded store, on the scenario's clock. */
final class GroundRig implements AutoCloseable {
    private final ServiceProcess process;
    private final String api;
    private final String link;
    private final Path tokenFile;
    private volatile HttpJson http = new HttpJson();
    private volatile String token;

    private GroundRig(ServiceProcess process, String api, String link, Path tokenFile) {
        this.process = process;
        this.api = api;
        this.link = link;
        this.tokenFile = tokenFile;
    }

    static GroundRig start(Launcher launcher, Path dataDir, Path log, int apiPort, int linkPort, List<String> clockArgs,
                           Map<String, String> env) throws IOException {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + apiPort,
                "--link-listen", "127.0.0.1:" + linkPort));
        args.addAll(clockArgs);
        ServiceProcess p = ServiceProcess.start("ground", launcher.command("ground", args), log, "API http://", env);
        return new GroundRig(p, "http://127.0.0.1:" + apiPort, "127.0.0.1:" + linkPort, dataDir.resolve("admin.token"));
    }

    /**
     * Waits for ground's start line, then takes the platform admin token its first start wrote (it is written before
     * that line), with which the twin asks ground what it holds and applies the scenario's manifests.
     */
    void awaitReady() throws InterruptedException {
        process.awaitReady(Duration.ofSeconds(90));
        try {
            token = java.nio.file.Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new IllegalStateException("ground wrote no admin token to " + tokenFile + " (" + e + "); its work "
                    + "directory must be new for each twin run", e);
        }
        http = new HttpJson(() -> token);
    }

    /** The platform admin token ground wrote at its first start (after {@link #awaitReady}). */
    String token() {
        return token;
    }

    Path tokenFile() {
        return tokenFile;
    }

    String api() {
        return api;
    }

    String linkAddress() {
        return link;
    }

    /** Every product ground holds, with its lineage. */
    List<JsonNode> products() {
        try {
            List<JsonNode> out = new ArrayList<>();
            http.get(api + "/api/v1/products").path("items").forEach(out::add);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The bundles ground's link exchanged with each satellite since it started: {@code [up, down]} by satellite
     * (empty when ground does not answer).
     */
    Map<String, long[]> bundles() {
        try {
            Map<String, long[]> out = new HashMap<>();
            for (JsonNode p : http.get(api + "/api/v1/link").path("peers")) {
                out.put(p.path("peer").asText(), new long[]{p.path("bundlesSent").asLong(), p.path("bundlesReceived").asLong()});
            }
            return out;
        } catch (IOException e) {
            return Map.of();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.stop(Duration.ofSeconds(10));
    }
}
