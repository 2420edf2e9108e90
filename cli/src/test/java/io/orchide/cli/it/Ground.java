package io.orchide.cli.it;

import io.orchide.testkit.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code orchide ground} process started from the built distribution. */
final class Ground implements AutoCloseable {
    final Path dataDir;
    final int apiPort;
    final int linkPort;
    private final List<String> extra;
    private ServiceProcess process;
    private int starts;

    Ground(Path dataDir, int apiPort, int linkPort, String... extra) {
        this.dataDir = dataDir;
        this.apiPort = apiPort;
        this.linkPort = linkPort;
        this.extra = List.of(extra);
    }

    String server() { return "http://127.0.0.1:" + apiPort; }

    String link() { return "127.0.0.1:" + linkPort; }

    /**
     * The platform admin token ground's first start wrote: to {@code --admin-token-file} where the test gives one (a
     * replica on PostgreSQL), else to its data dir.
     */
    String token() throws IOException {
        int i = extra.indexOf("--admin-token-file");
        Path file = i >= 0 ? Path.of(extra.get(i + 1)) : dataDir.resolve("admin.token");
        return java.nio.file.Files.readString(file).strip();
    }

    /** The client verbs against this ground, as its platform admin. */
    Cli cli() throws IOException { return new Cli(server(), token()); }

    /** Ground's API read directly, as its platform admin. */
    NodeHttp http() throws IOException { return new NodeHttp(server(), token()); }

    /**
     * Ground's link key file: in its data dir, or, for replicas on PostgreSQL, one file beside their data dirs that
     * every replica of the test shares (nodes pin its public key).
     */
    Path keyFile() {
        return extra.contains("--db") ? dataDir.resolveSibling("ground.key") : dataDir.resolve("ground.key");
    }

    /**
     * Ground's public key, as a node pins it with {@code --ground-key}: made now if ground has not started yet (it
     * loads the key at its first start), as an operator who provisions a node before the ground it will talk to.
     */
    Path publicKey() throws IOException {
        Path pub = keyFile().resolveSibling("ground.pub");
        if (!java.nio.file.Files.exists(keyFile())) {
            try {
                io.orchide.link.secure.KeyFiles.create(keyFile(), pub);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile
            }
        }
        return pub;
    }

    /** The options a node needs to reach this ground: its link address and its pinned key. */
    List<String> nodeOptions() throws IOException {
        return List.of("--ground", link(), "--ground-key", publicKey().toString());
    }

    /** Registers the nodes' keys for {@code satellite}, as an operator does: {@code orchide create satellite}. */
    void register(String satellite, Agent... nodes) throws IOException {
        List<String> args = new ArrayList<>(List.of("create", "satellite", satellite));
        for (Agent n : nodes) args.addAll(List.of("--node-key", n.publicKey().toString()));
        cli().ok(args.toArray(String[]::new));
    }

    /** {@code node}, its key registered for {@code satellite} on this (started) ground. */
    Agent registered(String satellite, Agent node) throws IOException {
        register(satellite, node);
        return node;
    }

    /**
     * Node {@code n1} of satellite {@code sat-1} on {@code port}, its data in {@code dataDir}, with what it needs to
     * reach this ground and {@code extra} options after; not started.
     */
    Agent node(Path dataDir, int port, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--satellite", "sat-1"));
        args.addAll(nodeOptions());
        args.addAll(List.of("--node-name", "n1"));
        args.addAll(List.of(extra));
        return new Agent(dataDir, port, args.toArray(String[]::new));
    }

    /** {@link #node} on a free port, its key registered for {@code sat-1} on this (started) ground; not started. */
    Agent registeredNode(Path dataDir, String... extra) throws IOException {
        return registered("sat-1", node(dataDir, Fixtures.freePort(), extra));
    }

    Ground start() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("ground", "--listen", "127.0.0.1:" + apiPort, "--link-listen", link()));
        // a replica on PostgreSQL keeps nothing in a directory of its own: dataDir only names its log
        if (!extra.contains("--db")) args.addAll(List.of("--data-dir", dataDir.toString()));
        else if (!extra.contains("--ground-key-file")) args.addAll(List.of("--ground-key-file", keyFile().toString()));
        args.addAll(extra);
        List<String> cmd = ServiceProcess.orchide(List.of("-XX:+UseSerialGC", "-Xmx128m"), args);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-ground-" + (++starts) + ".log");
        process = ServiceProcess.start(cmd, log, "API http://127.0.0.1:" + apiPort);
        return this;
    }

    long pid() { return process.pid(); }

    /** kill -9: ground dies at once, mid-transfer if there is one. */
    void kill9() throws InterruptedException {
        process.kill9();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) process.close();
    }
}
