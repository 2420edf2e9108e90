package io.orchide.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server that a test controls: Debian's {@code postgresql} package ({@code /usr/lib/postgresql/<v>/bin},
 * installed by {@code ./orchide test}), a cluster made by {@code initdb} in a temporary directory, run as user
 * {@code postgres} through {@code runuser} when the tests run as root (initdb refuses root) and directly otherwise.
 * It can be stopped ({@link #stop}, fast shutdown: sessions are cut as in an operator's restart) and started again
 * on the same port, so that what was connected to it meets a real outage and a real recovery.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.create()) {
 *     pg.start();
 *     String url = pg.newDatabase();   // jdbc:postgresql://127.0.0.1:port/name?user=postgres&password=postgres
 *     pg.stop(); pg.start();
 * }
 * }</pre>
 * Missing binaries fail the test, saying what to install: a test that needs PostgreSQL never skips.
 */
public final class PostgresServer implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;
    private boolean running;
    private boolean paused;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Makes a new cluster on a free port; not started yet. */
    public static PostgresServer create() throws Exception {
        Path bin = debianBin();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin: "
                    + "install Debian's postgresql package (apt-get install -y postgresql; ./orchide test does)");
        }
        boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        Path dir = Files.createTempDirectory("orchide-pg-server");
        if (root) run(List.of("chown", "postgres:postgres", dir.toString()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(bin, dir, port, root);
        pg.pg("initdb", "-D", pg.data.toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        return pg;
    }

    /** Whether Debian's PostgreSQL server binaries are installed here. */
    public static boolean installed() {
        try {
            return debianBin() != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the server and waits until it accepts connections; the same port every time. */
    public synchronized void start() throws Exception {
        if (running) return;
        pg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                "start");
        running = true;
    }

    /**
     * Stops the server in fast mode (open sessions are terminated, their transactions rolled back) and waits until it
     * is down: what an operator's {@code systemctl restart postgresql} does to its clients.
     */
    public synchronized void stop() throws Exception {
        if (!running) return;
        resume();
        pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        running = false;
    }

    public synchronized boolean running() { return running; }

    /**
     * Freezes the server and every process of it with SIGSTOP: connections stay open and connecting still succeeds at
     * the TCP level (the kernel accepts), but nothing answers, as behind a silent network partition. {@link #resume}
     * undoes it; {@link #close} resumes a paused server before stopping it.
     */
    public synchronized void pause() throws Exception {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause paused} server run again (SIGCONT), its connections as they were. */
    public synchronized void resume() throws Exception {
        if (!paused) return;
        signal("CONT");
        paused = false;
    }

    private void signal(String sig) throws Exception {
        if (!running) throw new IllegalStateException("the server is not running");
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() ->
                new IllegalStateException("no postmaster with pid " + pid));
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig, Long.toString(pid)));
        // the backends serving open connections are its children: a partition silences them too
        postmaster.descendants().forEach(p -> cmd.add(Long.toString(p.pid())));
        run(cmd);
    }

    public int port() { return port; }

    /** A JDBC URL (user and password in it) of a new, empty database; the server must be running. */
    public String newDatabase() throws Exception {
        String name = "s" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl() + "postgres?user=postgres&password=postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return baseUrl() + name + "?user=postgres&password=postgres";
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/} */
    public String baseUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/";
    }

    /** What this is, for a test's output. */
    @Override
    public String toString() {
        return "Debian PostgreSQL " + bin.getParent().getFileName() + " on 127.0.0.1:" + port
                + (asPostgres ? " as user postgres" : "");
    }

    /** Stops the server at once and removes its directory. */
    @Override
    public synchronized void close() throws Exception {
        try {
            if (paused) resume();
            if (running) pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            running = false;
        } finally {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private void pg(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        run(cmd);
    }

    static Path debianBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (var s = Files.list(root)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))
                    && Files.isExecutable(p.resolve("pg_ctl"))).max(Path::compareTo).orElse(null);
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // pg_ctl start leaves the server holding no pipe of ours (its output goes to the log file), so this ends
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
