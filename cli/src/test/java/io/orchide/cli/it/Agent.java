package io.orchide.cli.it;

import io.orchide.testkit.Repo;
import io.orchide.testkit.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code orchide node} process started from the built distribution, as a user starts it. */
final class Agent implements AutoCloseable {
    static final Path REPO = Repo.root();

    final Path dataDir;
    final int port;
    private final List<String> extra;
    private ServiceProcess process;
    private Path log;
    private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    Agent(Path dataDir, int port, String... extra) {
        this.dataDir = dataDir;
        this.port = port;
        this.extra = List.of(extra);
    }

    String server() { return "http://127.0.0.1:" + port; }

    /** The node's API token, as {@code orchide node token} prints it; there from the agent's first start on. */
    String token() {
        try {
            return io.orchide.node.api.NodeToken.read(io.orchide.node.layout.NodeLayout.of(dataDir).token()).value();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The CLI as a user on this node runs it: with its address and its token. */
    Cli cli() { return new Cli(server(), token()); }

    /** The node's API read directly, with its token. */
    NodeHttp http() { return new NodeHttp(server(), token()); }

    /**
     * The node's public key for the link ({@code node.pub}), made now as {@code orchide node init} would when the node
     * has none yet, so that a test can register it before the node's first start.
     */
    Path publicKey() throws IOException {
        io.orchide.node.layout.NodeLayout layout = io.orchide.node.layout.NodeLayout.of(dataDir);
        if (!java.nio.file.Files.exists(layout.nodeKey())) {
            io.orchide.link.secure.KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        }
        return layout.nodePublicKey();
    }

    Agent start() throws IOException, InterruptedException {
        if (extra.contains("--ground")) publicKey(); // a node of a satellite has its key (orchide node init)
        List<String> args = new ArrayList<>(List.of("node", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port));
        args.addAll(extra);
        List<String> cmd = ServiceProcess.orchide(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx64m"), args);
        // a log per start: a restarted agent must be waited for on its own output, not its predecessor's
        log = dataDir.resolveSibling(dataDir.getFileName() + "-agent-" + STARTS.incrementAndGet() + ".log");
        process = ServiceProcess.start(cmd, log, "listening on http://127.0.0.1:" + port);
        return this;
    }

    long pid() { return process.pid(); }

    /** The output of the agent's latest start. */
    Path log() { return log; }

    /** kill -9: the agent dies at once, its workloads do not. */
    void kill9() throws InterruptedException {
        process.kill9();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) process.close();
    }
}
