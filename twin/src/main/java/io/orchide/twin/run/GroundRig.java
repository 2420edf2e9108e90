package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.twin.process.Launcher;
import io.orchide.twin.process.PostgresCluster;
import io.orchide.twin.scenario.GroundSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The twin's ground: one or more real {@code orchide ground} replicas on the scenario's clock, on the embedded SQLite
 * store (one replica) or on a PostgreSQL server the twin runs itself ({@link PostgresCluster}), stopped with it.
 */
final class GroundRig implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final GroundSpec spec;
    private final PostgresCluster database;
    private final List<GroundReplica> replicas;
    private final AdminToken token;

    private GroundRig(GroundSpec spec, PostgresCluster database, List<GroundReplica> replicas, AdminToken token) {
        this.spec = spec;
        this.database = database;
        this.replicas = List.copyOf(replicas);
        this.token = token;
    }

    /**
     * Starts ground's PostgreSQL when {@code spec} asks for one (null otherwise), in {@code workDir}: before the
     * scenario's clock starts, since making a cluster takes seconds that simulated time would lose.
     */
    static PostgresCluster database(GroundSpec spec, Path workDir) throws IOException, InterruptedException {
        return spec.database() == GroundSpec.Database.POSTGRES ? PostgresCluster.start(workDir.resolve("postgres")) : null;
    }

    /**
     * Starts every replica {@code spec} asks for on {@code db} (from {@link #database}; null on SQLite, which this
     * then owns and stops), each with an API and a link port of its own ({@code ports} gives free ports). Returns once
     * every process started; {@link #awaitReady} waits until they serve. On failure nothing it started runs, {@code db}
     * included.
     */
    static GroundRig start(GroundSpec spec, PostgresCluster db, Launcher launcher, Path workDir, Path logs,
                           PortSource ports, List<String> clockArgs, double speed, Map<String, String> env)
            throws IOException, InterruptedException {
        List<GroundReplica> started = new ArrayList<>();
        // whichever replica starts first on the empty database writes the platform admin's token there
        AdminToken token = new AdminToken(workDir.resolve("admin.token"));
        Path key = keyFile(workDir);
        try {
            // one link key for every replica, made before any starts: the nodes are installed with its public half
            if (!java.nio.file.Files.exists(key)) io.orchide.link.secure.KeyFiles.create(key, publicKey(workDir));
            for (int i = 1; i <= spec.replicas(); i++) {
                String name = spec.replicas() == 1 ? "ground" : "ground-" + i;
                List<String> args = new ArrayList<>();
                if (db == null) args.addAll(List.of("--data-dir", workDir.resolve(name).toString()));
                else args.addAll(List.of("--db", db.url(), "--db-password-file", db.passwordFile().toString(),
                        "--session-lease", lease(speed)));
                args.addAll(List.of("--admin-token-file", token.file().toString(), "--ground-key-file", key.toString()));
                args.addAll(clockArgs);
                started.add(GroundReplica.start(i, name, launcher, args, logs.resolve(name + ".log"), ports.next(),
                        ports.next(), env, token));
            }
        } catch (IOException | RuntimeException e) {
            for (GroundReplica r : started) r.close();
            if (db != null) db.close();
            throw e;
        }
        return new GroundRig(spec, db, started, token);
    }

    /** Ground's link key, shared by its replicas. */
    static Path keyFile(Path workDir) {
        return workDir.resolve("ground.key");
    }

    /** Ground's public link key, which every node of the twin pins ({@code --ground-key}). */
    static Path publicKey(Path workDir) {
        return workDir.resolve("ground.pub");
    }

    /**
     * Registers a satellite's node key on ground, as an operator does ({@code orchide create satellite NAME --node-key
     * FILE}), after {@link #awaitReady}: until then the node's sessions are refused and it redials.
     */
    void register(String satellite, Path nodeKey) throws IOException {
        var body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", satellite);
        body.putArray("nodeKeys").add(java.nio.file.Files.readString(nodeKey));
        new HttpJson(this::token).post(api() + "/api/v1/satellites", body.toString());
    }

    /** Hands out free ports. */
    @FunctionalInterface
    interface PortSource {
        int next() throws IOException;
    }

    /**
     * A replica's lease on a satellite's session, in simulated time: about 1.5 s of real time (as long as a replica
     * that crashed keeps its satellites from the others), within what ground accepts.
     */
    static String lease(double speed) {
        long seconds = Math.round(1.5 * speed);
        return Math.max(1, Math.min(3600, seconds)) + "s";
    }

    /**
     * Waits until every replica serves, its database answering, then takes the platform admin token the first start
     * wrote (before its start line), with which the twin asks ground what it holds and applies the scenario's manifests.
     */
    void awaitReady() throws InterruptedException {
        for (GroundReplica r : replicas) r.awaitReady(READY_TIMEOUT);
        token.load();
    }

    /** The platform admin token ground wrote at its first start (after {@link #awaitReady}). */
    String token() {
        return token.get();
    }

    Path tokenFile() {
        return token.file();
    }

    GroundSpec spec() {
        return spec;
    }

    /** Whether the twin watches ground for failovers and outages (several replicas, or a database of its own). */
    boolean watched() {
        return spec.replicas() > 1 || database != null;
    }

    List<GroundReplica> replicas() {
        return replicas;
    }

    /** Replica {@code n}, from 1. */
    GroundReplica replica(int n) {
        return replicas.get(n - 1);
    }

    /** The PostgreSQL server ground runs on; empty on SQLite. */
    Optional<PostgresCluster> database() {
        return Optional.ofNullable(database);
    }

    /** The API of the first replica whose process runs (that of replica 1 when none does). */
    String api() {
        return replicas.stream().filter(GroundReplica::alive).findFirst().orElse(replicas.get(0)).api();
    }

    /** Every replica's link address, replica 1 first. */
    List<String> linkAddresses() {
        return replicas.stream().map(GroundReplica::linkAddress).toList();
    }

    /** Every product ground holds, with its lineage (empty when no replica answers). */
    List<JsonNode> products() {
        return answeredProducts().orElse(List.of());
    }

    /** Every product ground holds, as the first replica that answers lists them; empty when none answers. */
    Optional<List<JsonNode>> answeredProducts() {
        for (GroundReplica r : replicas) {
            if (!r.alive()) continue;
            try {
                return Optional.of(r.products());
            } catch (IOException e) {
                // the next replica may answer
            }
        }
        return Optional.empty();
    }

    /**
     * The bundles ground's link exchanged with each satellite, {@code [up, down]} by satellite, summed over the
     * replicas that answer (each counts since it started).
     */
    Map<String, long[]> bundles() {
        Map<String, long[]> out = new HashMap<>();
        for (GroundReplica r : replicas) {
            if (!r.alive()) continue;
            r.bundles().forEach((sat, n) -> out.merge(sat, n, (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]}));
        }
        return out;
    }

    /** Stops every replica (SIGTERM: each hands its leases back), then the database. */
    @Override
    public void close() throws InterruptedException {
        for (GroundReplica r : replicas) r.close();
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new IllegalStateException("could not stop " + database + ": " + e.getMessage(), e);
            }
        }
    }
}
