package io.orchide.ground;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A ground replica in a JVM of its own (this test classpath), so that a test can kill it as a crash would: SIGKILL,
 * no shutdown hook, no lease handed back. {@link #main} is the replica; {@link #start} launches one and waits until it
 * serves.
 */
final class ReplicaProcess implements AutoCloseable {
    final Process process;
    final int apiPort;
    final String linkAddress;

    private ReplicaProcess(Process process, int apiPort, String linkAddress) {
        this.process = process;
        this.apiPort = apiPort;
        this.linkAddress = linkAddress;
    }

    /** Starts a replica on {@code dbUrl} with the given session lease; its log goes to {@code log}. */
    static ReplicaProcess start(String dbUrl, Duration lease, Path log) throws Exception {
        return start(dbUrl, lease, log, null, null);
    }

    /** Starts a replica whose link sessions send keepalives after {@code keepalive} and die after {@code idle}. */
    static ReplicaProcess start(String dbUrl, Duration lease, Path log, Duration keepalive, Duration idle) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // every replica of one ground shares its link key: the one beside the log, as the in-process replicas' (keyFile)
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-Dorchide.test.groundKey=" + keyFile(log),
                "-cp", System.getProperty("java.class.path"),
                ReplicaProcess.class.getName(), dbUrl, lease.toString()));
        if (keepalive != null) cmd.addAll(List.of(keepalive.toString(), idle.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(120, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            p.destroyForcibly();
            throw new IllegalStateException("replica did not start: " + line + "; see " + log);
        }
        String[] f = line.split(" ");
        return new ReplicaProcess(p, Integer.parseInt(f[1]), f[2]);
    }

    /** The link key file of the replicas whose logs are beside {@code log}. */
    static Path keyFile(Path log) {
        return log.toAbsolutePath().resolveSibling("ground.key");
    }

    /** Kills the replica at once (SIGKILL) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Freezes the replica (SIGSTOP): its sockets stay open, its kernel still accepts connections, it answers nothing. */
    void freeze() throws Exception {
        signal("STOP");
    }

    /** Lets a frozen replica run again (SIGCONT). */
    void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    public static void main(String[] args) throws Exception {
        GroundServer g = GroundServer.start(GroundConfig.builder()
                .dbUrl(args[0])
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .linkListen("127.0.0.1:0")
                .sessionLease(Duration.parse(args[1]))
                .linkKeepalive(args.length > 2 ? Duration.parse(args[2]) : null)
                .linkIdleTimeout(args.length > 3 ? Duration.parse(args[3]) : null)
                .groundKeyFile(Path.of(System.getProperty("orchide.test.groundKey")))
                .build().withAuthBypassedForTests());
        System.out.println("ready " + g.apiAddress().getPort() + " " + g.linkAddress());
        System.out.flush();
        Thread.currentThread().join();
    }
}
