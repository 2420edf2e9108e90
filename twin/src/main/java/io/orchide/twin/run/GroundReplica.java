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

/**
 * One {@code orchide ground} process of the twin's ground, numbered from 1: its API and link address stay the same
 * across a crash and a restart. Its methods may be called from the twin's event thread and its watch at once.
 */
final class GroundReplica implements AutoCloseable {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final int index;
    private final String name;
    private final List<String> command;
    private final Path log;
    private final String api;
    private final String link;
    private final Map<String, String> env;
    private final HttpJson http;
    private final boolean onPostgres;
    private ServiceProcess process;

    private GroundReplica(int index, String name, List<String> command, Path log, String api, String link,
                          Map<String, String> env, java.util.function.Supplier<String> token) {
        this.http = new HttpJson(token);
        this.onPostgres = command.contains("--db");
        this.index = index;
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.api = api;
        this.link = link;
        this.env = Map.copyOf(env);
    }

    static GroundReplica start(int index, String name, Launcher launcher, List<String> args, Path log, int apiPort,
                               int linkPort, Map<String, String> env, java.util.function.Supplier<String> token)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("--listen", "127.0.0.1:" + apiPort, "--link-listen",
                "127.0.0.1:" + linkPort));
        all.addAll(args);
        GroundReplica r = new GroundReplica(index, name, launcher.command("ground", all), log,
                "http://127.0.0.1:" + apiPort, "127.0.0.1:" + linkPort, env, token);
        r.startProcess();
        return r;
    }

    /** Starts the process (again, after a crash), its output appended to its log. */
    synchronized void startProcess() throws IOException {
        process = ServiceProcess.start(name, command, log, "API http://", env);
    }

    /**
     * Waits until the process says it listens, then, on PostgreSQL, until its API says it is ready (its database
     * answers: ground listens before, as it starts without its database). On SQLite it is ready when it listens.
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        ServiceProcess p;
        synchronized (this) {
            p = process;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        p.awaitReady(timeout);
        if (!onPostgres) return;
        while (http.probe(api + "/api/v1/ready", PROBE_TIMEOUT).status() != 200) {
            if (!p.alive()) throw new IllegalStateException(name + " exited before it was ready; see " + log);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
            }
            Thread.sleep(100);
        }
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    String api() {
        return api;
    }

    String linkAddress() {
        return link;
    }

    synchronized boolean alive() {
        return process != null && process.alive();
    }

    /** kill -9 of the process: it saves nothing and hands no lease back. */
    synchronized void kill() throws InterruptedException {
        if (process != null) process.kill();
    }

    /**
     * What the replica's readiness says now: {@code ready}, the reason it gives when it is not (such as
     * {@code database_unavailable}), or {@code down} when nothing answers.
     */
    String readiness() {
        if (!alive()) return "down";
        HttpJson.Answer a = http.probe(api + "/api/v1/ready", PROBE_TIMEOUT);
        if (a.status() == 200) return "ready";
        if (a.status() < 0) return "down";
        String status = a.body() == null ? "" : a.body().path("status").asText("");
        return status.isEmpty() ? "HTTP " + a.status() : status;
    }

    List<JsonNode> products() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        http.get(api + "/api/v1/products").path("items").forEach(out::add);
        return out;
    }

    /** The bundles this process's link exchanged with each satellite since it started; empty when it does not answer. */
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

    /** Stops the process (SIGTERM: it hands its leases back), killing it after 10 s. */
    @Override
    public void close() throws InterruptedException {
        ServiceProcess p;
        synchronized (this) {
            p = process;
        }
        if (p != null) p.stop(Duration.ofSeconds(10));
    }
}
